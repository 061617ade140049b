import type { AnyModelClass } from '../model/types.js';
import type { ManyToManyQuery } from '../relations/many-to-many-query.js';
import { ConversionFailure, Field } from './field.js';
import type { TargetKeyInput } from './foreign-key-field.js';

/** Options of `ManyToManyField`. */
export interface ManyToManyOptions {
  /**
   * The join model, when you want to define it yourself (extra columns, its
   * own name): a model with one foreign key to each side. Without it pewit
   * creates `<table>_<target table>_through` with a unique pair of keys.
   */
  readonly through?: () => ThroughModel;
  /** Name of the reverse relation added to the target model (e.g. `students` on `Course`). */
  readonly backref?: string;
}

/**
 * What `through` returns: a model class, checked by its `_meta` only. Checking it as a whole model would read the
 * through model's fields, whose foreign keys point back at the model being defined (a circular type).
 */
export interface ThroughModel {
  readonly _meta: AnyModelClass['_meta'];
}

type InstanceOf<M> = M extends abstract new (...args: any[]) => infer I ? I : never;

/**
 * A many-to-many relation, declared among the fields but never a column:
 * the rows live in a join ("through") model. Reading it on an instance gives
 * a lazy query with `add`, `remove`, `set` and `clear`.
 */
export class ManyToManyFieldImpl<T = any> extends Field<T, never, false> {
  /** Not a column: it has no SQL type of its own. */
  readonly sqlType = 'many-to-many';

  constructor(
    readonly targetThunk: () => AnyModelClass,
    readonly m2mOptions: ManyToManyOptions,
  ) {
    super({});
  }

  protected convert(): never {
    throw new ConversionFailure('is a many-to-many relation: change it with add(), remove(), set() or clear()');
  }

  fromDb(): never {
    throw new TypeError(`${this.owner?.name}.${this.name} is a many-to-many relation, not a column`);
  }
}

/**
 * A many-to-many field as typed for users: reading it on an instance gives the related rows' query, whose rows
 * are instances of `M` and whose `add`/`remove`/`set` take those instances or `M`'s keys.
 */
// `out T`, as on ForeignKey: copies of the field type are compared by their thunks, not member by member.
export interface ManyToMany<out T> extends ManyToManyFieldImpl<unknown> {
  // A member, not a type argument of the base: TypeScript reads the target (`T`'s result) only when it is used.
  readonly __type?: ManyToManyQuery<InstanceOf<ThunkResult<T>>, TargetKeyInput<ThunkResult<T>>>;
}

type ThunkResult<T> = T extends () => infer M ? M : never;

/**
 * A many-to-many relation to another model through a join model (implicit
 * unless `through` is given). `createTables` creates the implicit join table
 * with the model.
 *
 * @example
 * class Student extends model('students', { id: AutoField(), courses: ManyToManyField(() => Course, { backref: 'students' }) }) {}
 * await student.courses.add([math, art]) // INSERT INTO "students_courses_through" ("student_id", "course_id") VALUES ($1, $2), ($3, $4)
 * await student.courses                  // SELECT "courses".… FROM "courses" INNER JOIN "students_courses_through" ON … WHERE ("students_courses_through"."student_id" = $1)
 */
export function ManyToManyField<T>(target: T extends () => any ? T : never, options: ManyToManyOptions = {}): ManyToMany<T> {
  if (typeof target !== 'function') throw new TypeError('ManyToManyField: pass a function returning the related model, e.g. ManyToManyField(() => Course)');
  return new ManyToManyFieldImpl(target as () => AnyModelClass, options) as ManyToMany<T>;
}
