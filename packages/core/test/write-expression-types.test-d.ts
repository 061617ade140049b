import { describe, it } from 'vitest';
import { AutoField, DateTimeField, ForeignKeyField, fn, IntegerField, model, sql, TextField } from '../src/index.js';
import { User } from './models.js';

class Stamp extends model('we_stamps', {
  id: AutoField(),
  at: DateTimeField(),
  views: IntegerField({ default: 0 }),
  note: TextField({ null: true }),
  owner: ForeignKeyField(() => User, { null: true }),
}) {}

describe('insert and update data take expressions of the column type', () => {
  it('accepts an expression of the value type, or SQL that carries no type', () => {
    Stamp.insert({ at: fn.now() });
    Stamp.insert({ at: sql`now() - interval '1 day'`, views: Stamp.views.add(1) });
    Stamp.update({ views: Stamp.views.add(1), at: fn.now(), note: fn.lower(Stamp.note) });
    Stamp.update({ owner: User.id, note: null });
    Stamp.insert({ at: new Date(), owner: 1 });
  });

  it('refuses an expression of another type', () => {
    // @ts-expect-error a timestamp column takes no text expression
    Stamp.insert({ at: fn.lower(Stamp.note) });
    // @ts-expect-error an integer column takes no text column
    Stamp.update({ views: Stamp.note });
    // @ts-expect-error a text column takes no timestamp
    Stamp.update({ note: fn.now() });
    // @ts-expect-error the owner key is a number, not a text expression
    Stamp.update({ owner: fn.lower(Stamp.note) });
    // @ts-expect-error a plain value of another type stays refused
    Stamp.insert({ at: fn.now(), views: 'many' });
  });
});
