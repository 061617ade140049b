import { binary, caseWhen, compile, list, type Node, type UpdateNode, updateStatement, value } from '@pewit/query';
import type { Database } from '../database/database.js';
import type { Program } from '../evaluation/program.js';
import { type AnyField, Field } from '../fields/field.js';
import { unmarkDirty } from '../meta/dirty.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { PERSISTED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { fieldForKey } from './assignments.js';
import { BaseQuery } from './base-query.js';

/** PostgreSQL accepts at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 65_535;

/** Options of `bulkUpdate`. */
export interface BulkUpdateOptions {
  /** Instances per UPDATE statement; by default as many as the parameter limit allows. */
  readonly batchSize?: number;
}

type Slots = Model & { [VALUES]: Record<string, unknown>; [PERSISTED]: boolean };

/**
 * Writes the current values of `fields` of many saved instances with one
 * `UPDATE … SET col = CASE pk WHEN … THEN … END … WHERE pk IN (…)` per
 * batch. Resolves to the number of rows updated; the written fields are
 * no longer dirty afterwards.
 *
 * @example await User.bulkUpdate(users, ['email'])
 * // UPDATE "users" SET "email" = CASE "users"."id" WHEN $1 THEN $2::text WHEN $3 THEN $4::text END WHERE "users"."id" IN ($5, $6)
 */
export class BulkUpdateQuery extends BaseQuery<number> {
  readonly #fields: readonly AnyField[];
  readonly #pk: AnyField;

  /** @internal Use `Model.bulkUpdate(instances, fields)`. */
  constructor(
    private readonly cls: AnyModelClass,
    private readonly instances: readonly Model[],
    fields: readonly (AnyField | string)[],
    private readonly options: BulkUpdateOptions = {},
  ) {
    super();
    const meta = this.#meta;
    meta.requireWritable('bulkUpdate');
    this.#pk = meta.requirePrimaryKey('bulkUpdate');
    this.#fields = fields.map((f) => {
      const field = typeof f === 'string' ? fieldForKey(meta, f) : f;
      if (!(field instanceof Field) || field.owner !== meta)
        throw new TypeError(`${meta.name}.bulkUpdate(): ${String(typeof f === 'string' ? f : field.name)} is not a field of ${meta.name}`);
      if (field === this.#pk) throw new TypeError(`${meta.name}.bulkUpdate(): the primary key identifies the rows and cannot be updated this way`);
      return field;
    });
    if (this.#fields.length === 0) throw new TypeError(`${meta.name}.bulkUpdate(): name at least one field to write`);
    for (const instance of instances) {
      if (!(instance instanceof (cls as unknown as abstract new () => Model)) || !(instance as Slots)[PERSISTED]) {
        throw new TypeError(`${meta.name}.bulkUpdate(): every instance must be a saved ${meta.name} (save new ones with insertMany or save())`);
      }
    }
    if (options.batchSize !== undefined && (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1)) {
      throw new TypeError(`bulkUpdate: batchSize must be a positive integer, received ${String(options.batchSize)}`);
    }
  }

  get #meta(): ModelMeta {
    return this.cls._meta;
  }

  protected database(): Database {
    return this.#meta.requireDatabase();
  }

  protected get label(): string {
    return `BulkUpdateQuery<${this.#meta.name}>`;
  }

  #statement(batch: readonly Model[]): UpdateNode {
    const pkNode = this.#pk.toNode();
    const keys = batch.map((i) => this.#pk.toParam((i as Slots)[VALUES][this.#pk.name]));
    const set = this.#fields.map((field): [string, Node] => {
      const whens = batch.map((instance, n): [Node, Node] => [
        value(keys[n]),
        value(field.toParam((instance as Slots)[VALUES][field.name] ?? null), field.castType), // the column's own type, so PostgreSQL does not guess `text`
      ]);
      return [field.columnName, caseWhen(whens, undefined, pkNode)];
    });
    return updateStatement({ table: this.#meta.tableNode, set, where: binary(pkNode, 'IN', list(keys.map((k) => value(k)))) });
  }

  #batches(): Model[][] {
    const perInstance = 2 * this.#fields.length + 1;
    const size = this.options.batchSize ?? Math.max(1, Math.floor(MAX_PARAMETERS / perInstance));
    const out: Model[][] = [];
    for (let i = 0; i < this.instances.length; i += size) out.push(this.instances.slice(i, i + size));
    return out;
  }

  toNode(): UpdateNode {
    const batches = this.#batches();
    if (batches.length !== 1) throw new TypeError(`this bulk update needs ${batches.length} statements; it has no single SQL form`);
    return this.#statement(batches[0] as Model[]);
  }

  protected *program(): Program<number> {
    let count = 0;
    for (const batch of this.#batches()) {
      const result = yield compile(this.#statement(batch));
      count += result.rowCount ?? 0;
      for (const instance of batch) for (const f of this.#fields) unmarkDirty(instance, f.name);
    }
    return count;
  }
}
