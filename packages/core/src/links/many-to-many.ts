import type { AnyField } from '../fields/field.js';
import { ForeignKeyField, ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ManyToManyFieldImpl } from '../fields/many-to-many-field.js';
import { AutoField } from '../fields/numeric-fields.js';
import type { ModelMeta, ModelOptions } from '../meta/model-meta.js';
import { snakeCase } from '../meta/naming.js';

import type { AnyModelClass } from '../model/types.js';

/** The join model of a relation and its two foreign keys, seen from one side. */
export interface ThroughLinks {
  readonly through: AnyModelClass;
  /** The through model's foreign key to the side holding the accessor. */
  readonly near: ForeignKeyFieldImpl;
  /** The through model's foreign key to the related side. */
  readonly far: ForeignKeyFieldImpl;
}

/** One direction of a many-to-many relation: `student.courses`, or its backref `course.students`. */
export interface ManyToManySide {
  /** The accessor's name on the near model. */
  readonly name: string;
  readonly near: ModelMeta;
  /** The related model. */
  far(): AnyModelClass;
  links(): ThroughLinks;
}

const sides = new WeakMap<ModelMeta, ManyToManySide[]>();

/** The many-to-many relations readable on instances of `meta` (its fields and the backrefs pointing at it). */
export function manyToManySides(meta: ModelMeta): readonly ManyToManySide[] {
  return sides.get(meta) ?? [];
}

export function addSide(side: ManyToManySide): void {
  sides.set(side.near, [...manyToManySides(side.near), side]);
}

const modelName = (cls: AnyModelClass): string => {
  const name = cls.name || cls._meta.name;
  return name.charAt(0).toLowerCase() + name.slice(1);
};

/** A many-to-many field: its two models and its through model (created on first use when implicit). */
export class ManyToManyRelation {
  #links: { through: AnyModelClass; source: ForeignKeyFieldImpl; target: ForeignKeyFieldImpl } | undefined;

  constructor(
    readonly source: ModelMeta,
    readonly field: ManyToManyFieldImpl,
    /** `model()`, passed in: importing it here would load the model module before the query module. */
    readonly defineModel: (table: string, fields: Record<string, AnyField>, options: ModelOptions) => unknown,
  ) {}

  target(): AnyModelClass {
    const cls = this.field.targetThunk();
    if (!cls || !(cls as { _meta?: unknown })._meta)
      throw new TypeError(`${this.source.name}.${this.field.name}: the ManyToManyField thunk did not return a model class`);
    return cls;
  }

  /** The through model and its foreign keys to the source and the target. */
  resolve(): { through: AnyModelClass; source: ForeignKeyFieldImpl; target: ForeignKeyFieldImpl } {
    if (!this.#links) this.#links = this.field.m2mOptions.through ? this.#explicit(this.field.m2mOptions.through() as AnyModelClass) : this.#implicit();
    const throughMeta = this.#links.through._meta;
    // The implicit model follows its source's database, also when it is bound later with db.bind().
    if (!this.field.m2mOptions.through) throughMeta.database = this.source.database ?? throughMeta.database;
    return this.#links;
  }

  #explicit(through: AnyModelClass): { through: AnyModelClass; source: ForeignKeyFieldImpl; target: ForeignKeyFieldImpl } {
    const meta = through._meta;
    const targetMeta = this.target()._meta;
    const fks = meta.fields.filter((f): f is ForeignKeyFieldImpl => f instanceof ForeignKeyFieldImpl);
    const toSource = fks.filter((f) => f.target._meta === this.source);
    const source = toSource[0];
    // Two foreign keys to the target would leave the pair ambiguous, as two to the source do: refuse, never pick one.
    const toTarget = fks.filter((f) => f !== source && f.target._meta === targetMeta);
    const target = toTarget[0];
    if (!source || !target || toTarget.length > 1 || toSource.length > (this.source === targetMeta ? 2 : 1))
      throw new TypeError(
        `${this.source.name}.${this.field.name}: the through model ${meta.name} needs exactly one foreign key to ${this.source.name} and one to ${targetMeta.name}`,
      );
    return { through, source, target };
  }

  #implicit(): { through: AnyModelClass; source: ForeignKeyFieldImpl; target: ForeignKeyFieldImpl } {
    const targetCls = this.target();
    const sourceCls = this.source.cls;
    const self = targetCls._meta === this.source;
    const a = self ? `from${modelName(sourceCls).replace(/^./, (c) => c.toUpperCase())}` : modelName(sourceCls);
    const b = self ? `to${modelName(targetCls).replace(/^./, (c) => c.toUpperCase())}` : modelName(targetCls);
    const table = `${this.source.table}_${targetCls._meta.table}_through`;
    const through = this.defineModel(
      table,
      {
        id: AutoField(),
        [a]: ForeignKeyField(() => this.source.cls, { onDelete: 'CASCADE' }),
        [b]: ForeignKeyField(() => targetCls, { onDelete: 'CASCADE' }),
      },
      {
        database: this.source.database,
        schema: this.source.schema,
        indexes: [{ fields: [a, b], unique: true, name: `${table}_${snakeCase(a)}_${snakeCase(b)}_key` }],
      },
    ) as unknown as AnyModelClass;
    const meta = through._meta;
    return { through, source: meta.byName.get(a) as ForeignKeyFieldImpl, target: meta.byName.get(b) as ForeignKeyFieldImpl };
  }

  /** `student.courses`. */
  forward(): ManyToManySide {
    return {
      name: this.field.name,
      near: this.source,
      far: () => this.target(),
      links: () => {
        const l = this.resolve();
        return { through: l.through, near: l.source, far: l.target };
      },
    };
  }

  /** `course.students` (the `backref`). */
  reverse(name: string): ManyToManySide {
    return {
      name,
      near: this.target()._meta,
      far: () => this.source.cls,
      links: () => {
        const l = this.resolve();
        return { through: l.through, near: l.target, far: l.source };
      },
    };
  }
}

const relations = new WeakMap<ModelMeta, ManyToManyRelation[]>();

export function addRelation(relation: ManyToManyRelation): void {
  relations.set(relation.source, [...(relations.get(relation.source) ?? []), relation]);
}

/**
 * The models to create (or drop) with `models`: each one plus the implicit
 * through models of its many-to-many fields, so `createTables([Student,
 * Course])` creates the join table too. Exported for `@pewit/migrate`, which describes the same tables.
 * @example withThroughModels([Student._meta]).map((m) => m.table) // ['students', 'students_courses_through']
 */
export function withThroughModels(models: readonly ModelMeta[]): ModelMeta[] {
  const out = [...models];
  for (const meta of models) {
    for (const relation of relations.get(meta) ?? []) {
      if (relation.field.m2mOptions.through) continue;
      const through = relation.resolve().through._meta;
      if (!out.includes(through)) out.push(through);
    }
  }
  return out;
}
