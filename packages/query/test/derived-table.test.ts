import { describe, expect, it } from 'vitest';
import { alias, binary, column, compile, EMPTY_SELECT, raw, table, updateSelect, value } from '../src/index.js';

describe('compile: derived tables', () => {
  it('names the columns of a subquery in FROM', () => {
    const inner = updateSelect(EMPTY_SELECT, { columns: [column('user_id', 't'), alias(raw(['count(*)']), 'n')], from: [table('t')] });
    const q = updateSelect(EMPTY_SELECT, {
      columns: [column('n', 'sub')],
      from: [alias(inner, 'sub', ['user', 'n"x'])],
      where: binary(column('n', 'sub'), '>', value(1)),
    });
    expect(compile(q)).toEqual({
      text: 'SELECT "sub"."n" FROM (SELECT "t"."user_id", count(*) AS "n" FROM "t") AS "sub"("user", "n""x") WHERE "sub"."n" > $1',
      values: [1],
    });
  });

  it('leaves an alias without columns as it was', () => {
    expect(alias(column('a'), 'b')).toEqual({ kind: 'alias', expr: column('a'), alias: 'b' });
  });
});
