/** Where a generated line came from in the markdown (1-based), if anywhere. */
export type Origin = number | undefined;

interface Specifier {
  /** The text inside the braces, e.g. `sql` or `sql as raw`, without `type`. */
  readonly text: string;
  readonly typeOnly: boolean;
  readonly origin: number;
}

interface ModuleImports {
  defaultName?: { name: string; origin: number };
  namespaces: Map<string, number>;
  named: Map<string, Specifier>;
  sideEffect?: number;
}

const STATEMENT =
  /^import\s+(?<typeOnly>type\s+)?(?:(?<defaultName>[\w$]+)\s*,?\s*)?(?:\*\s*as\s+(?<namespace>[\w$]+)\s*)?(?:\{(?<named>[^}]*)\}\s*)?(?:from\s*)?(?<quote>['"])(?<source>[^'"]+)\k<quote>\s*;?\s*$/s;

/**
 * Collects `import` statements from many samples of one page and prints them as one de-duplicated set,
 * merging names imported from the same module. Each printed specifier keeps its own markdown line, so a
 * type error about it points at the sample that imported it.
 */
export class ImportHoister {
  readonly #modules = new Map<string, ModuleImports>();
  /** Local name → module, to catch two samples importing the same name from different modules. */
  readonly #locals = new Map<string, string>();

  constructor(private readonly page: string) {}

  /**
   * Removes the top-level import statements from `lines` (blanking them, so line numbers stay put) and
   * remembers them. `firstLine` is the markdown line of `lines[0]`.
   */
  take(lines: string[], firstLine: number): void {
    for (let i = 0; i < lines.length; i++) {
      if (!/^import[\s{*'"]/.test(lines[i] ?? '')) continue;
      let end = i;
      while (!isComplete(lines.slice(i, end + 1).join('\n')) && end + 1 < lines.length) end++;
      const statement = lines.slice(i, end + 1).join('\n');
      this.#add(statement, firstLine + i);
      for (let j = i; j <= end; j++) lines[j] = '';
      i = end;
    }
  }

  #add(statement: string, origin: number): void {
    const match = STATEMENT.exec(statement.replace(/\/\/[^\n]*/g, ''));
    if (!match?.groups) throw new Error(`${this.page}:${origin}: cannot read this import statement: ${statement}`);
    const { typeOnly, defaultName, namespace, named, source = '' } = match.groups;
    const entry: ModuleImports = this.#modules.get(source) ?? { namespaces: new Map(), named: new Map() };
    this.#modules.set(source, entry);
    if (defaultName) {
      this.#claim(defaultName, source, origin);
      entry.defaultName ??= { name: defaultName, origin };
    }
    if (namespace) {
      this.#claim(namespace, source, origin);
      if (!entry.namespaces.has(namespace)) entry.namespaces.set(namespace, origin);
    }
    for (const raw of (named ?? '').split(',')) {
      const spec = raw.trim();
      if (spec === '') continue;
      const isType = typeOnly !== undefined || spec.startsWith('type ');
      const text = spec.replace(/^type\s+/, '');
      const local = text.split(/\s+as\s+/).at(-1) ?? text;
      this.#claim(local, source, origin);
      const known = entry.named.get(local);
      // A name imported as a value anywhere stays a value import.
      if (!known || (known.typeOnly && !isType)) entry.named.set(local, { text, typeOnly: isType, origin: known?.origin ?? origin });
    }
    if (!defaultName && !namespace && named === undefined) entry.sideEffect ??= origin;
  }

  #claim(local: string, source: string, origin: number): void {
    const other = this.#locals.get(local);
    if (other !== undefined && other !== source) {
      throw new Error(`${this.page}:${origin}: "${local}" is imported from both '${other}' and '${source}' on this page; rename one`);
    }
    this.#locals.set(local, source);
  }

  /** The merged statements, one specifier per line, each line with its markdown origin. */
  print(): { lines: string[]; origins: Origin[] } {
    const lines: string[] = [];
    const origins: Origin[] = [];
    const emit = (text: string, origin: Origin) => {
      lines.push(text);
      origins.push(origin);
    };
    for (const [source, entry] of this.#modules) {
      const quoted = `'${source}'`;
      for (const [name, origin] of entry.namespaces) emit(`import * as ${name} from ${quoted};`, origin);
      const specs = [...entry.named.values()];
      if (entry.defaultName || specs.length > 0) {
        const allTypes = !entry.defaultName && specs.every((s) => s.typeOnly);
        const head = allTypes ? 'import type ' : `import ${entry.defaultName ? `${entry.defaultName.name}${specs.length > 0 ? ', ' : ''}` : ''}`;
        if (specs.length === 0) {
          emit(`${head}from ${quoted};`, entry.defaultName?.origin);
        } else {
          emit(`${head}{`, entry.defaultName?.origin ?? specs[0]?.origin);
          for (const s of specs) emit(`  ${s.typeOnly && !allTypes ? 'type ' : ''}${s.text},`, s.origin);
          emit(`} from ${quoted};`, specs[0]?.origin);
        }
      } else if (entry.namespaces.size === 0 && entry.sideEffect !== undefined) {
        emit(`import ${quoted};`, entry.sideEffect);
      }
    }
    return { lines, origins };
  }
}

function isComplete(statement: string): boolean {
  const text = statement.replace(/\/\/[^\n]*/g, '').trim();
  return /['"]\s*;?$/.test(text) && (!text.includes('{') || text.includes('}'));
}
