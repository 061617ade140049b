/** A primary key made of several fields, declared in the model options. */
export interface CompositeKeySpec<N extends readonly string[] = readonly string[]> {
  readonly kind: 'composite-key';
  /** Property names of the key's fields, in key order. */
  readonly fields: N;
}

/**
 * A primary key over several fields (peewee's `CompositeKey`). `getById`
 * then takes a tuple in this order or an object by property name.
 *
 * @example
 * class Enrollment extends model('enrollments', {
 *   student: ForeignKeyField(() => Student),
 *   course: ForeignKeyField(() => Course),
 * }, { primaryKey: CompositeKey('student', 'course') }) {}
 * // CREATE TABLE "enrollments" (…, PRIMARY KEY ("student_id", "course_id"))
 * await Enrollment.getById([1, 2]) // … WHERE "enrollments"."student_id" = $1 AND "enrollments"."course_id" = $2
 */
export function CompositeKey<const N extends readonly string[]>(...fields: N): CompositeKeySpec<N> {
  if (fields.length < 2)
    throw new TypeError(`CompositeKey() needs at least two field names, received ${fields.length}; for one field use { primaryKey: true }`);
  if (new Set(fields).size !== fields.length) throw new TypeError(`CompositeKey(${fields.map((f) => `'${f}'`).join(', ')}): a field is named twice`);
  return Object.freeze({ kind: 'composite-key', fields: Object.freeze([...fields]) as unknown as N });
}
