import { describe, expectTypeOf, it } from 'vitest';
import {
  ArrayField,
  AutoField,
  customField,
  EnumField,
  FixedCharField,
  fn,
  IntervalField,
  JSONField,
  model,
  plainToTsquery,
  TextField,
  TSVectorField,
  type TsVector,
  toTsvector,
} from '../src/index.js';

type Doc = { kind: 'a' | 'b'; owner: { nick: string; age: number }; tags: string[] };

class Post extends model('posts', {
  id: AutoField(),
  status: EnumField(['draft', 'published'] as const),
  maybe: EnumField(['x', 'y'], { null: true, typeName: 'xy' }),
  tags: ArrayField(TextField()),
  doc: JSONField<Doc>({ null: true }),
  loose: JSONField<unknown>(),
  search: TSVectorField({ null: true }),
  code: FixedCharField({ length: 2 }),
  ttl: IntervalField(),
  spot: customField<{ x: number; y: number }>({ sqlType: 'point', toDatabase: (p) => `(${p.x},${p.y})`, fromDatabase: () => ({ x: 0, y: 0 }) }),
}) {}

describe('field value types', () => {
  it('EnumField is the union of its values', () => {
    const post = new Post({ status: 'draft', tags: [], loose: 1, code: 'ab', ttl: '1 day', spot: { x: 1, y: 2 } });
    expectTypeOf(post.status).toEqualTypeOf<'draft' | 'published'>();
    expectTypeOf(post.maybe).toEqualTypeOf<'x' | 'y' | null>();
    expectTypeOf(post.search).toEqualTypeOf<TsVector | null>();
    expectTypeOf(post.spot).toEqualTypeOf<{ x: number; y: number }>();
    expectTypeOf(post.code).toEqualTypeOf<string>();
    // @ts-expect-error not one of the values
    post.status = 'gone';
    // @ts-expect-error not one of the values
    Post.status.eq('gone');
    Post.status.in(['draft', 'published']);
  });

  it('customField is typed by its T, and nullable with { null: true }', () => {
    const f = customField<Uint8Array>({ sqlType: 'bytea', toDatabase: (v) => v, fromDatabase: () => new Uint8Array(), null: true });
    expectTypeOf(f.__type).toEqualTypeOf<Uint8Array | null | undefined>();
  });
});

describe('operator types', () => {
  it('array operators take elements of the element type', () => {
    Post.tags.contains('a', 'b');
    Post.tags.overlaps(['a']);
    Post.tags.includes('a');
    expectTypeOf(Post.tags.at(1).__type).toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error elements are strings
    Post.tags.overlaps([1]);
    // @ts-expect-error elements are strings
    Post.tags.includes(1);
  });

  it('JSON get() knows the shape of JSONField<T>', () => {
    expectTypeOf(Post.doc.get('owner').__type).toEqualTypeOf<{ nick: string; age: number } | null | undefined>();
    expectTypeOf(Post.doc.get('owner').get('age').__type).toEqualTypeOf<number | null | undefined>();
    expectTypeOf(Post.doc.get('tags').get(0).__type).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(Post.doc.getText('kind').__type).toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error no such key in Doc
    Post.doc.get('nope');
    // @ts-expect-error arrays take an index
    Post.doc.get('tags').get('x');
    // unknown shape: any key
    Post.loose.get('anything').get(3);
    Post.doc.path('owner', 'nick');
    Post.doc.hasAnyKey('a', 'b');
  });

  it('match() takes a string or a tsquery, not any text expression', () => {
    Post.search.match('fat cats');
    Post.search.match(plainToTsquery('english', 'fat'), { config: 'english' });
    toTsvector('english', Post.code).match('x');
    // @ts-expect-error a text expression is not a tsquery
    Post.search.match(fn.lower(Post.code));
    // @ts-expect-error a tsvector is not a tsquery
    Post.search.match(toTsvector('x'));
  });
});
