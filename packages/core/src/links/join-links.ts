import { binary, type Expressible, type JoinType, join, type Node, type SelectNode, updateSelect } from '@pewit/query';
import type { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { foreignKeysBetween, foreignKeysOf, targetOf } from '../meta/foreign-keys.js';
import type { ModelMeta } from '../meta/model-meta.js';

import type { AnyModelClass } from '../model/types.js';
import { ALIAS_OF, isModelAlias, type ModelAlias } from './model-alias.js';

/** A model in FROM or JOIN, under its table name or under an alias. */
export interface JoinSource {
  readonly meta: ModelMeta;
  readonly alias?: string | undefined;
}

/**
 * How a joined model's instance is attached to the instance of `parent`.
 * `forward`: under the foreign key `name` of the parent (`tweet.user`, or
 * `post.author` for an alias). `reverse`: the joined model holds the foreign
 * key (`User.select(User, Tweet).join(Tweet)`), and its instance of that row
 * becomes the plain property `name` of the parent, as in peewee
 * (`user.tweet`, or the alias name for a model alias).
 */
export interface JoinLink {
  readonly parent: JoinSource;
  readonly target: JoinSource;
  readonly name: string;
  readonly kind: 'forward' | 'reverse';
}

const qualifier = (s: JoinSource): string => s.alias ?? s.meta.table;
const sameSource = (a: JoinSource, b: JoinSource): boolean => a.meta === b.meta && a.alias === b.alias;

export function sourceOf(target: AnyModelClass | ModelAlias<any>): JoinSource {
  if (isModelAlias(target)) return { meta: target[ALIAS_OF].meta, alias: target[ALIAS_OF].name };
  return { meta: target._meta };
}

/** A column of `field` as `source` names it: under its alias, or the field's own (cached) node. */
const columnIn = (field: ForeignKeyFieldImpl | ForeignKeyFieldImpl['targetField'], source: JoinSource): Node =>
  source.alias === undefined ? field.toNode() : field.qualifiedBy(source.alias);

/**
 * The link of a join whose foreign key is on the joined model: its instance
 * becomes `parent.<name>`, the joined model's name with a lower-case first
 * letter (peewee's `user.tweet`) or the alias. Refused when the parent model
 * already has a member of that name, which the attribute would hide.
 */
function reverseLink(parent: JoinSource, target: JoinSource): JoinLink {
  const name = target.alias ?? target.meta.name.charAt(0).toLowerCase() + target.meta.name.slice(1);
  if (parent.meta.byName.has(name) || name in parent.meta.cls.prototype)
    throw new Error(
      `cannot join ${target.meta.name}: its rows would be attached as ${parent.meta.name}.${name}, which ${parent.meta.name} already has; join an alias to name it (${target.meta.name}.alias('…'))`,
    );
  return { parent, target, name, kind: 'reverse' };
}

/** A join condition and, when its foreign key points at the joined model, where the joined instance attaches. */
export interface InferredJoin {
  readonly on: Node;
  readonly link: JoinLink | undefined;
}

const nameOf = (s: JoinSource) => (s.alias ? `"${s.alias}"` : s.meta.name);

/**
 * The one join condition between `target` and the sources, from the one
 * foreign key that links them, and the link it makes: a foreign key of a
 * source pointing at `target` attaches the joined instance to that source's
 * instance (`tweet.user`). Columns are qualified by alias where there is
 * one. A self-reference only counts in the direction of the join
 * (`categories.parent_id = parent.id`).
 */
export function inferJoin(sources: readonly JoinSource[], target: JoinSource): InferredJoin {
  const candidates: { label: string; source: JoinSource; join: InferredJoin }[] = [];
  for (const source of sources) {
    for (const f of foreignKeysBetween(source.meta, target.meta)) {
      const on = binary(columnIn(f, source), '=', columnIn(f.targetField, target));
      candidates.push({ label: `${source.meta.name}.${f.name}`, source, join: { on, link: { parent: source, target, name: f.name, kind: 'forward' } } });
    }
    if (source.meta === target.meta) continue;
    for (const f of foreignKeysBetween(target.meta, source.meta)) {
      const on = binary(columnIn(f, target), '=', columnIn(f.targetField, source));
      candidates.push({ label: `${target.meta.name}.${f.name}`, source, join: { on, link: reverseLink(source, target) } });
    }
  }
  if (candidates.length === 1) return (candidates[0] as { join: InferredJoin }).join;
  const name = target.alias ? `${target.meta.name} as "${target.alias}"` : target.meta.name;
  if (candidates.length === 0) throw new Error(`cannot join ${name}: no foreign key links it with ${sources.map(nameOf).join(', ')}; pass { on: … }`);
  // `from` only helps when the candidates come from different models of the query.
  const from = new Set(candidates.map((c) => c.source)).size > 1 ? ' or { from: … }' : '';
  throw new Error(`cannot join ${name}: several foreign keys link it (${candidates.map((c) => c.label).join(', ')}); pass { on: … }${from} to choose one`);
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
 * condition the user gave: `"posts"."author_id" = "author"."id"` attaches
 * the `author` alias to the post as `post.author`; a foreign key of `target`
 * pointing at a source (`"tweets"."user_id" = "users"."id"`) attaches it in
 * reverse (`user.tweet`). `undefined` when the condition is neither (the
 * instance is then not attached). An inferred condition needs none of this: `inferJoin`
 * returns its link.
 */
function linkFromOn(on: Node | undefined, sources: readonly JoinSource[], target: JoinSource): JoinLink | undefined {
  if (!on) return undefined;
  for (const [left, right] of equalities(on)) {
    for (const [fkSide, keySide] of [
      [left, right],
      [right, left],
    ] as const) {
      if (keySide.table !== qualifier(target)) continue;
      for (const parent of sources) {
        if (sameSource(parent, target) || fkSide.table !== qualifier(parent)) continue;
        const fk = foreignKeysOf(parent.meta).find(
          (f) => f.columnName === fkSide.name && targetOf(f) === target.meta && f.targetField.columnName === keySide.name,
        );
        if (fk) return { parent, target, name: fk.name, kind: 'forward' };
        const reverse = foreignKeysOf(target.meta).find(
          (f) => f.columnName === keySide.name && targetOf(f) === parent.meta && f.targetField.columnName === fkSide.name,
        );
        if (reverse) return reverseLink(parent, target);
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

interface JoinModelOptions {
  readonly on?: Expressible | undefined;
  readonly type?: JoinType | undefined;
  readonly lateral?: boolean | undefined;
  readonly from?: AnyModelClass | ModelAlias<any> | undefined;
}

function sourcesOf(state: JoinState): JoinSource[] {
  return [...state.models.map((m) => ({ meta: m._meta })), ...(state.aliases ?? [])];
}

/**
 * `join()` of a model or a model alias: the table (under its alias, `INNER
 * JOIN "users" AS "author"`), the condition (the one given, or inferred from
 * the one foreign key, from `from` when given), and the link that says where
 * the joined rows go.
 */
export function joinModel(state: JoinState, target: AnyModelClass | ModelAlias<any>, options: JoinModelOptions): Partial<JoinState> {
  const joined = sourceOf(target);
  const sources = sourcesOf(state);
  let on: Node | undefined;
  let link: JoinLink | undefined;
  if (options.on) {
    on = options.on.toNode();
    link = linkFromOn(on, sources, joined);
  } else if (options.type !== 'cross') {
    ({ on, link } = inferJoin(options.from ? [sourceOf(options.from)] : sources, joined));
  }
  const tableNode = isModelAlias(target) ? target.toNode() : joined.meta.tableNode;
  return {
    node: updateSelect(state.node, { joins: [...state.node.joins, join(options.type ?? 'inner', tableNode, on, options.lateral)] }),
    models: isModelAlias(target) ? state.models : [...state.models, target],
    aliases: isModelAlias(target) ? [...(state.aliases ?? []), joined] : state.aliases,
    links: link ? [...(state.links ?? []), link] : state.links,
  };
}
