import { describe, expect, it } from 'vitest';
import type { Statement } from '../src/database/driver.js';
import { AutoField, CharField, CompositeKey, ForeignKeyField, IntegerField, model, sql, TextField } from '../src/index.js';
import type { Model } from '../src/model/model.js';
import { register } from '../src/model/model.js';
import type { AnyModelClass } from '../src/model/types.js';
import { createIndexesSql, createTableSql, dropTableSql, truncateTableSql } from '../src/schema/ddl.js';
import { dependencyOrder } from '../src/schema/dependency-order.js';
import { createTablesProgram } from '../src/schema/schema-programs.js';

const meta = (cls: unknown) => register(cls as AnyModelClass);

class Team extends model(
  'teams',
  { id: AutoField(), title: CharField({ maxLength: 20, unique: true }), rank: IntegerField({ check: 'rank > 0', index: true }) },
  { schema: 'app' },
) {}
class Player extends model(
  'players',
  {
    id: AutoField(),
    team: ForeignKeyField(() => Team, { onDelete: 'CASCADE', onUpdate: 'NO ACTION' }),
    nick: TextField({ columnName: 'nick_name', null: true }),
    number: IntegerField(),
  },
  { indexes: [{ fields: ['team', 'number'], unique: true }] },
) {}
class Membership extends model(
  'memberships',
  { player: ForeignKeyField(() => Player), team: ForeignKeyField(() => Team), since: IntegerField({ null: true }) },
  { primaryKey: CompositeKey('player', 'team') },
) {}
class Left extends model('lefts', { id: AutoField(), right: ForeignKeyField((): AnyModelClass => Right, { null: true }) }) {}
class Right extends model('rights', { id: AutoField(), left: ForeignKeyField((): AnyModelClass => Left) }) {}

describe('DDL text', () => {
  it('CREATE TABLE with types, NOT NULL, PRIMARY KEY, UNIQUE, CHECK and schema', () => {
    expect(createTableSql(meta(Team))).toBe(
      'CREATE TABLE "app"."teams" ("id" serial PRIMARY KEY, "title" varchar(20) NOT NULL UNIQUE, "rank" integer NOT NULL CHECK (rank > 0))',
    );
  });

  it('inline REFERENCES with actions, integer for a serial target, columnName honoured', () => {
    expect(createTableSql(meta(Player), { safe: true })).toBe(
      'CREATE TABLE IF NOT EXISTS "players" ("id" serial PRIMARY KEY, "team_id" integer NOT NULL REFERENCES "app"."teams" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, ' +
        '"nick_name" text, "number" integer NOT NULL)',
    );
  });

  it('a CompositeKey is a table constraint and its columns are NOT NULL', () => {
    expect(createTableSql(meta(Membership))).toBe(
      'CREATE TABLE "memberships" ("player_id" integer NOT NULL REFERENCES "players" ("id"), "team_id" integer NOT NULL REFERENCES "app"."teams" ("id"), ' +
        '"since" integer, PRIMARY KEY ("player_id", "team_id"))',
    );
  });

  it('indexes: index: true, every foreign key, and multi-column ones', () => {
    expect(createIndexesSql(meta(Team))).toEqual(['CREATE INDEX "teams_rank_idx" ON "app"."teams" ("rank")']);
    expect(createIndexesSql(meta(Player), { safe: true })).toEqual([
      'CREATE INDEX IF NOT EXISTS "players_team_id_idx" ON "players" ("team_id")',
      'CREATE UNIQUE INDEX IF NOT EXISTS "players_team_id_number_key" ON "players" ("team_id", "number")',
    ]);
  });

  it('DROP and TRUNCATE options', () => {
    expect(dropTableSql(meta(Team), { safe: true, cascade: true })).toBe('DROP TABLE IF EXISTS "app"."teams" CASCADE');
    expect(truncateTableSql(meta(Player), { restartIdentity: true, cascade: true })).toBe('TRUNCATE TABLE "players" RESTART IDENTITY CASCADE');
    expect(truncateTableSql(meta(Player))).toBe('TRUNCATE TABLE "players"');
  });
});

describe('dependency order', () => {
  it('puts referenced tables first whatever the given order', () => {
    const { order, deferred } = dependencyOrder([meta(Membership), meta(Player), meta(Team)]);
    expect(order.map((m) => m.table)).toEqual(['teams', 'players', 'memberships']);
    expect(deferred.size).toBe(0);
  });

  it('breaks a cycle: one reference becomes ALTER TABLE after both CREATE TABLEs', () => {
    const statements = [...(createTablesProgram([meta(Left), meta(Right)]) as Iterable<Statement>)].map((s) => s.text);
    expect(statements.slice(0, 3)).toEqual([
      'CREATE TABLE "rights" ("id" serial PRIMARY KEY, "left_id" integer NOT NULL)',
      'CREATE TABLE "lefts" ("id" serial PRIMARY KEY, "right_id" integer REFERENCES "rights" ("id"))',
      'ALTER TABLE "rights" ADD CONSTRAINT "rights_left_id_fkey" FOREIGN KEY ("left_id") REFERENCES "lefts" ("id")',
    ]);
  });
});

describe('definition-time refusals', () => {
  it.each(['save', 'saveSync', 'load', 'refresh', 'deleteInstance', 'isDirty', 'toJSON', 'then', 'constructor', 'toString', 'hasOwnProperty'])(
    'a field named %s (an instance member of every model) is refused, naming it',
    (name) => {
      expect(() => model('t', { id: AutoField(), [name]: TextField() })).toThrow(
        new RegExp(`model\\('t'\\): the field "${name}" would hide the instance member "${name}".*columnName: '${name}'`),
      );
    },
  );

  it.each(['select', 'create', 'get', 'delete', 'truncate', 'alias', 'name', 'length', 'prototype', 'call', 'c', '_meta', 'DoesNotExist'])(
    'a field named %s (a static of models or functions) is accepted: Model.c has it, the static stays what it was',
    (name) => {
      const T = model('t', { id: AutoField(), [name]: TextField() });
      const statics = T as unknown as Record<string, unknown>;
      const column = (T.c as Record<string, unknown>)[name];
      expect(column).toBeInstanceOf(TextField().constructor);
      expect(statics[name]).not.toBe(column);
      expect(createTableSql(meta(T))).toContain(`"${name === 'DoesNotExist' ? 'does_not_exist' : name === '_meta' ? '_meta' : name}" text NOT NULL`);
    },
  );

  it('a field whose name collides with nothing is also a static shorthand, the same column as Model.c', () => {
    const T = model('t', { id: AutoField(), meta: TextField(), table: TextField(), fields: TextField(), database: TextField() });
    for (const name of ['meta', 'table', 'fields', 'database'] as const) expect(T[name]).toBe(T.c[name]);
    expect(T.name).toBe('T');
  });

  it('a foreign key to a composite-key model must name a unique field', () => {
    class Note extends model('notes', { id: AutoField(), membership: ForeignKeyField(() => Membership) }) {}
    expect(() => createTableSql(meta(Note))).toThrow(/Note\.membership: Membership has a composite primary key, which one column cannot reference/);
  });

  it('columnName maps another property onto such a column', () => {
    class Event extends model('events', { id: AutoField(), selectValue: TextField({ columnName: 'select' }) }) {}
    expect(createTableSql(meta(Event))).toContain('"select" text NOT NULL');
  });

  it('a field object cannot be shared by two models', () => {
    const shared = TextField();
    model('a1', { id: AutoField(), x: shared });
    expect(() => model('a2', { id: AutoField(), x: shared })).toThrow(/already used by A1\.x: create a new field for each model/);
  });

  it('values of instances are typed and validated on assignment', () => {
    const p = new Player({ number: 7 }) as Model & { number: number };
    expect(p.number).toBe(7);
    expect(() => {
      p.number = 'seven' as unknown as number;
    }).toThrow(/^Player\.number: expected an integer, received "seven" \(string\)$/);
  });
});

describe('table constraints, partial and method indexes, unindexed foreign keys', () => {
  class Post extends model(
    'posts',
    {
      id: AutoField(),
      author: ForeignKeyField(() => Team, { index: false }),
      slug: TextField(),
      title: TextField(),
      rank: IntegerField(),
    },
    {
      constraints: [{ unique: ['author', 'slug'] }, { check: 'rank < 100 AND rank > -100', name: 'posts_rank_range' }],
      indexes: [
        { fields: ['title'], where: sql`rank > 0`, name: 'posts_ranked_title' },
        { fields: ['slug'], using: 'hash' },
      ],
    },
  ) {}

  it('writes UNIQUE and named CHECK constraints in CREATE TABLE', () => {
    expect(createTableSql(meta(Post))).toBe(
      'CREATE TABLE "posts" ("id" serial PRIMARY KEY, "author_id" integer NOT NULL REFERENCES "app"."teams" ("id"), "slug" text NOT NULL, ' +
        '"title" text NOT NULL, "rank" integer NOT NULL, UNIQUE ("author_id", "slug"), CONSTRAINT "posts_rank_range" CHECK (rank < 100 AND rank > -100))',
    );
  });

  it('writes WHERE and USING on indexes, and no index for a foreign key with { index: false }', () => {
    expect(createIndexesSql(meta(Post))).toEqual([
      'CREATE INDEX "posts_ranked_title" ON "posts" ("title") WHERE rank > 0',
      'CREATE INDEX "posts_slug_idx" ON "posts" USING hash ("slug")',
    ]);
  });

  it('refuses an index method PostgreSQL does not ship, a predicate with parameters, and an unknown field, naming the model', () => {
    const make = (options: object) => meta(model('bad_idx', { id: AutoField(), a: IntegerField() }, options));
    expect(() => createIndexesSql(make({ indexes: [{ fields: ['a'], using: 'btree; DROP TABLE x' }] }))).toThrow(/btree; DROP TABLE x/);
    expect(() => createIndexesSql(make({ indexes: [{ fields: ['a'], where: sql`a > ${1}` }] }))).toThrow(
      /^BadIdx: the where sql`a > \$1` of index bad_idx_a_idx has 1 interpolated value\(s\), but DDL takes no parameters$/,
    );
    expect(() => createTableSql(make({ constraints: [{ unique: ['nope'] }] }))).toThrow(
      /^BadIdx: unique constraint field "nope" is not a field of the model; its fields are id, a$/,
    );
  });
});
