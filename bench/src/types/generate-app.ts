/**
 * Writes a generated application for the type-check benchmark: 100 models
 * (foreign keys, nullable foreign keys, composite keys, many-to-many, a few
 * PostgreSQL types) and 500 queries that read values. Nothing here runs: the
 * files are only checked by `tsc`.
 */

export const MODELS = 100;
export const QUERIES = 500;
const FILES = 10;

const name = (i: number) => `M${i}`;

/** One model's source. Every model but the first has a foreign key to the one before; every third a nullable one two back. */
function modelSource(i: number): string {
  const fields = [
    '  id: AutoField(),',
    '  title: CharField({ maxLength: 80 }),',
    '  score: IntegerField({ default: 0 }),',
    '  total: BigIntegerField({ null: true }),',
    '  price: DecimalField({ maxDigits: 12, decimalPlaces: 2, null: true }),',
    '  createdAt: DateTimeField({ default: sql`now()` }),',
  ];
  if (i % 4 === 0) fields.push('  ref: UUIDField({ null: true }),', '  data: JSONField<{ a: number; b?: string }>({ null: true }),');
  if (i % 4 === 1) fields.push('  tags: ArrayField(TextField(), { null: true }),', '  addr: InetField({ null: true }),');
  if (i % 4 === 2) fields.push('  active: BooleanField({ default: true }),', '  note: TextField({ null: true }),');
  if (i > 0) fields.push(`  parent: ForeignKeyField(() => ${name(i - 1)}),`);
  if (i > 1 && i % 3 === 0) fields.push(`  other: ForeignKeyField(() => ${name(i - 2)}, { null: true }),`);
  if (i > 2 && i % 10 === 5) fields.push(`  peers: ManyToManyField(() => ${name(i - 3)}),`);
  return `export class ${name(i)} extends model('m${i}', {\n${fields.join('\n')}\n}) {}\n`;
}

/** A link model with a composite key over two foreign keys, every tenth model. */
function linkSource(i: number): string {
  return `export class L${i} extends model('l${i}', {
  left: ForeignKeyField(() => ${name(i)}),
  right: ForeignKeyField(() => ${name(i - 1)}),
  weight: IntegerField({ default: 1 }),
}, { primaryKey: CompositeKey('left', 'right') }) {}\n`;
}

export function schemaSource(): string {
  const imports = `import {
  ArrayField, AutoField, BigIntegerField, BooleanField, CharField, CompositeKey, DateTimeField, DecimalField,
  ForeignKeyField, InetField, IntegerField, JSONField, ManyToManyField, model, sql, TextField, UUIDField,
} from '@pewit/core';\n\n`;
  const parts: string[] = [];
  for (let i = 0; i < MODELS; i++) {
    parts.push(modelSource(i));
    if (i > 0 && i % 10 === 1) parts.push(linkSource(i));
  }
  return imports + parts.join('\n');
}

/** One query reading values; `k` picks the kind so the 500 cover every kind evenly. */
function querySource(q: number): string {
  const i = 3 + (q % (MODELS - 3));
  const M = name(i);
  const P = name(i - 1);
  const kind = q % 10;
  const v = `q${q}`;
  switch (kind) {
    case 0:
      return `  const ${v} = await ${M}.select(${M}, ${P}).join(${P}).where(${M}.title.eq('a'), ${P}.score.gt(${q})).orderBy(${M}.id.desc()).limit(10);
  for (const row of ${v}) { use(row.id); use(row.title); use(row.parentId); use(row.score); use(row.createdAt); use(row.parent); }`;
    case 1:
      return `  const ${v} = await ${M}.select().where(${M}.parent.eq(${q})).prefetch(${P});
  use(${v}[0]?.parentId); use(${v}[0]?.total); use(${v}[0]?.price); use(${v}[0]?.parent);`;
    case 2:
      return `  const ${v} = await ${M}.select(${M}.id, ${M}.title, ${M}.parent, ${M}.price).where(${M}.score.between(1, 9)).dicts();
  for (const row of ${v}) { use(row.id); use(row.title); use(row.parent); use(row.price); }`;
    case 3:
      return `  const ${v} = await ${M}.select(${M}.id, ${M}.parent, ${P}.title).join(${P}).tuples();
  for (const [a, b, c] of ${v}) { use(a); use(b); use(c); }`;
    case 4:
      return `  const ${v} = await ${M}.select(fn.max(${M}.score)).where(${M}.title.startsWith('x')).scalar();
  use(${v});`;
    case 5:
      return `  const ${v} = await ${M}.select().where(${M}.score.in([1, 2, 3]), ${M}.total.isNull()).count();
  use(${v});`;
    case 6:
      return `  const ${v} = await ${M}.insert({ title: 'n${q}', parent: ${q}, score: ${q} });
  use(${v});`;
    case 7:
      return `  const ${v} = await ${M}.update({ title: 'u', score: ${M}.score.add(1) }).where(${M}.id.eq(${q}));
  use(${v});`;
    case 8:
      return `  const ${v} = await ${M}.select(${M}.parent, fn.count(${M}.id).as('n'), fn.sum(${M}.score).as('s')).groupBy(${M}.parent).dicts();
  for (const row of ${v}) { use(row.parent); use(row.n); use(row.s); }`;
    default:
      return `  const ${v} = await ${M}.get(${M}.id.eq(${q}));
  use(${v}.title); use(${v}.parentId); use(${v}.createdAt);`;
  }
}

/** The query files: `QUERIES` queries spread over `FILES` files, each an async function. */
export function querySources(): Map<string, string> {
  const files = new Map<string, string>();
  const perFile = QUERIES / FILES;
  const imports = `import { fn } from '@pewit/core';\nimport { ${Array.from({ length: MODELS }, (_, i) => name(i)).join(', ')} } from './schema.js';\n\n`;
  for (let f = 0; f < FILES; f++) {
    const body = Array.from({ length: perFile }, (_, j) => querySource(f * perFile + j)).join('\n');
    files.set(
      `queries-${f}.ts`,
      `${imports}/** Reads a value so that its type is computed. */\nexport declare function use<T>(value: T): T;\n\nexport async function run${f}(): Promise<void> {\n${body}\n}\n`,
    );
  }
  return files;
}

/** The strictest settings a user may have; the benchmark checks the application under them. */
export const appTsconfig = {
  compilerOptions: {
    target: 'es2022',
    lib: ['es2023'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  include: ['*.ts'],
};
