import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, ManyToManyField, model, TextField } from '../src/index.js';
import { Tweet, User } from './models.js';

class Tag extends model('rc_tags', { id: AutoField(), label: TextField() }) {}
class Note extends model('rc_notes', { id: AutoField(), tags: ManyToManyField(() => Tag), body: TextField() }) {}

describe('many-to-many items are typed as their model', () => {
  it('reading the relation gives instances of the related model', async () => {
    const note = new Note();
    expectTypeOf(await note.tags).toEqualTypeOf<Tag[]>();
    expectTypeOf((await note.tags.first())!.label).toEqualTypeOf<string>();
  });

  it('add, remove and set take that model or its key only', () => {
    const note = new Note();
    const tag = new Tag();
    note.tags.add(tag);
    note.tags.add([tag, 2]);
    note.tags.remove(3);
    note.tags.set(Tag.select().where(Tag.label.eq('x')));
    // @ts-expect-error a User is not a Tag
    note.tags.add(new User());
    // @ts-expect-error a Tag key is a number
    note.tags.remove('3');
  });
});

describe('queries are Promises', () => {
  it('write and read queries are assignable where a Promise is expected', () => {
    const update: Promise<number> = Tweet.update({ likes: 1 }).where(Tweet.id.eq(1));
    const remove: Promise<number> = Tweet.delete().where(Tweet.id.eq(1));
    const insert: Promise<number> = User.insert({ username: 'a' });
    const select: Promise<User[]> = User.select();
    expectTypeOf(Promise.all([update, remove, insert, select])).resolves.toEqualTypeOf<[number, number, number, User[]]>();
  });
});
