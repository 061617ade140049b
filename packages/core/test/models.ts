import { AutoField, BooleanField, CharField, ForeignKeyField, IntegerField, model, TextField } from '../src/index.js';

/** Models without a database: enough to build and compile queries. */
export class User extends model('users', {
  id: AutoField(),
  username: CharField({ maxLength: 50, unique: true }),
  email: TextField({ null: true }),
  age: IntegerField({ null: true }),
  isAdmin: BooleanField({ default: false }),
}) {}

export class Tweet extends model('tweets', {
  id: AutoField(),
  user: ForeignKeyField(() => User, { backref: 'tweets' }),
  content: TextField(),
  likes: IntegerField({ default: 0 }),
}) {}

export class Category extends model('categories', {
  id: AutoField(),
  title: TextField(),
  parent: ForeignKeyField('self', { null: true }),
}) {}

/** Two foreign keys to User, so join inference is ambiguous. */
export class Message extends model('messages', {
  id: AutoField(),
  sender: ForeignKeyField(() => User),
  recipient: ForeignKeyField(() => User),
  body: TextField(),
}) {}
