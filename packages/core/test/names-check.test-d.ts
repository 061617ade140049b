import { AutoField, CharField, model, JSONField, TextField, IntegerField } from '@pewit/core';
class User extends model('users', { id: AutoField(), name: CharField({ maxLength: 10 }), length: IntegerField(), meta: JSONField(), table: TextField(), select: TextField(), username: TextField() }) {}
const n: string = User.name;
const c = User.c.name;
const l: number = User.length;
User.c.length.eq(3);
User.c.select.eq('x');
User.username.eq('a');
User.table.eq('a');
const u = new User({ name: 'x' });
const s: string = u.name;
const m: number = u.length;
// @ts-expect-error the shorthand of a colliding name is absent
User.select.eq('x');
