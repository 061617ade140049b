import { binary, type Expressible, type JoinType, join, type Node, type SelectNode, updateSelect } from '@pewit/query';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../model/model-meta.js';

import type { AnyModelClass } from '../model/types.js';
import { ALIAS_OF, isModelAlias, type ModelAlias } from './model-alias.js';

/** A model in FROM or JOIN, under its table name or under an alias. */
export interface JoinSource {
  readonly meta: ModelMeta;
  readonly alias?: string | undefined;
}

/**
 * How a joined model's instance is attached: on the instance of `parent`,
 * under the foreign key `fk` (e.g. `tweet.user`, or `post.author` for an alias).
 */
export interface JoinLink {
  readonly parent: JoinSource;
  readonly target: JoinSource;
  readonly fk: string;
}

const qualifier = (s: JoinSource): string => s.alias ?? s.meta.table;
const sameSource = (a: JoinSource, b: JoinSource): boolean => a.meta === b.meta && a.alias === b.alias;

export function sourceOf(target: AnyModelClass | ModelAlias<any>): JoinSource {
  if (isModelAlias(target)) return { meta: target[ALIAS_OF].meta, alias: target[ALIAS_OF].name };
  return { meta: target._meta };
}

function targetMeta(fk: ForeignKeyFieldImpl): ModelMeta | undefined {
  try {
    return fk.target._meta;
  } catch {
    return undefined; // its model is still being defined: it cannot be in this query
  }
}

const foreignKeys = (meta: ModelMeta) => meta.fields.filter((f): f is ForeignKeyFieldImpl => f instanceof ForeignKeyFieldImpl);

/**
 * The ON condition for joining `target` when an alias is involved: the one
 * foreign key between `target` and the sources, with both sides qualified by
 * their alias. A self-reference only counts in the direction of the join
 * (`categories.parent_id = parent.id`), as for plain models.
 */
export function inferAliasJoin(sources: readonly JoinSource[], target: JoinSource): Node {
  const candidates: { label: string; on: Node }[] = [];
  for (const source of sources) {
    for (const f of foreignKeys(source.meta)) {
      if (targetMeta(f) === target.meta) {
        candidates.push({
          label: `${source.meta.name}.${f.name}`,
          on: binary(f.qualifiedBy(qualifier(source)), '=', f.targetField.qualifiedBy(qualifier(target))),
        });
      }
    }
    if (source.meta === target.meta) continue;
    for (const f of foreignKeys(target.meta)) {
      if (targetMeta(f) === source.meta) {
        candidates.push({
          label: `${target.meta.name}.${f.name}`,
          on: binary(f.qualifiedBy(qualifier(target)), '=', f.targetField.qualifiedBy(qualifier(source))),
        });
      }
    }
  }
  if (candidates.length === 1) return (candidates[0] as { on: Node }).on;
  const name = target.alias ? `${target.meta.name} as "${target.alias}"` : target.meta.name;
  const names = sources.map((s) => (s.alias ? `"${s.alias}"` : s.meta.name)).join(', ');
  if (candidates.length === 0) throw new Error(`cannot join ${name}: no foreign key links it with ${names}; pass { on: … }`);
  throw new Error(
    `cannot join ${name}: several foreign keys link it (${candidates.map((c) => c.label).join(', ')}); pass { on: … } or { from: … } to choose one`,
  );
}

interface ColumnRef {
  readonly kind: 'column';
  readonly name: string;
  readonly table?: string | undefined;
}

/** The `a = b` comparisons of columns in an ON condition (at its top level or ANDed). */
function equalities(on: Node): [ColumnRef, ColumnRef][] {
  const n = on as { kind: string; op?: string; left?: Node; right?: Node; items?: readonly Node[] };
  if (n.kind === 'logical' && n.op === 'AND') return (n.items ?? []).flatMap(equalities);
  if (n.kind === 'binary' && n.op === '=' && n.left?.kind === 'column' && n.right?.kind === 'column') return [[n.left as ColumnRef, n.right as ColumnRef]];
  return [];
}

/**
 * Which instance a joined model's instance belongs on, read from the ON
 * condition: `"posts"."author_id" = "author"."id"` attaches the `author`
 * alias to the post as `post.author`. `undefined` when the condition is not
 * a foreign key pointing at `target` (the instance is then not attached).
 */
export function linkFromOn(on: Node | undefined, sources: readonly JoinSource[], target: JoinSource): JoinLink | undefined {
  if (!on) return undefined;
  for (const [left, right] of equalities(on)) {
    for (const [fkSide, keySide] of [
      [left, right],
      [right, left],
    ] as const) {
      if (keySide.table !== qualifier(target)) continue;
      for (const parent of sources) {
        if (sameSource(parent, target) || fkSide.table !== qualifier(parent)) continue;
        const fk = foreignKeys(parent.meta).find(
          (f) => f.columnName === fkSide.name && targetMeta(f) === target.meta && f.targetField.columnName === keySide.name,
        );
        if (fk) return { parent, target, fk: fk.name };
      }
    }
  }
  return undefined;
}

/** The parts of a SELECT builder a join changes (a structural view of `SelectState`). */
interface JoinState {
  readonly node: SelectNode;
  readonly models: readonly AnyModelClass[];
  readonly aliases?: readonly JoinSource[] | undefined;
  readonly links?: readonly JoinLink[] | undefined;
}

interface JoinWithAliasOptions {
  readonly on?: Expressible | undefined;
  readonly type?: JoinType | undefined;
  readonly lateral?: boolean | undefined;
  readonly from?: AnyModelClass | ModelAlias<any> | undefined;
}

function sourcesOf(state: JoinState): JoinSource[] {
  return [...state.models.map((m) => ({ meta: m._meta })), ...(state.aliases ?? [])];
}

/** The links of a query after joining `target` on `on`: the new one, when the condition is a foreign key pointing at it. */
export function withLink(state: JoinState, target: AnyModelClass | ModelAlias<any>, on: Node | undefined): readonly JoinLink[] | undefined {
  const link = linkFromOn(on, sourcesOf(state), sourceOf(target));
  return link ? [...(state.links ?? []), link] : state.links;
}

/**
 * `join()` when the target or `from` is a model alias: the table gets the
 * alias (`INNER JOIN "users" AS "author"`), the condition is inferred with
 * qualified columns unless given, and the link records where rows go.
 */
export function joinWithAlias(state: JoinState, target: AnyModelClass | ModelAlias<any>, options: JoinWithAliasOptions): Partial<JoinState> {
  const joined = sourceOf(target);
  const sources = options.from ? [sourceOf(options.from)] : sourcesOf(state);
  const on = options.on?.toNode() ?? (options.type === 'cross' ? undefined : inferAliasJoin(sources, joined));
  const tableNode = isModelAlias(target) ? target.toNode() : joined.meta.tableNode;
  const links = withLink(state, target, on);
  return {
    node: updateSelect(state.node, { joins: [...state.node.joins, join(options.type ?? 'inner', tableNode, on, options.lateral)] }),
    models: isModelAlias(target) ? state.models : [...state.models, target],
    aliases: isModelAlias(target) ? [...(state.aliases ?? []), joined] : state.aliases,
    ...(links ? { links } : {}),
  };
}
