import { AutoField, CompositeKey, ForeignKeyField, IntegerField, model, sql, TextField, UniqueViolationError } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class Student extends model('students', { id: AutoField(), fullName: TextField() }, { database: db }) {}
  class Course extends model('courses', { id: AutoField(), title: TextField() }, { database: db }) {}
  class Enrollment extends model(
    'enrollments',
    {
      student: ForeignKeyField(() => Student, { onDelete: 'CASCADE' }),
      course: ForeignKeyField(() => Course),
      grade: IntegerField({ null: true }),
    },
    { database: db, primaryKey: CompositeKey('student', 'course') },
  ) {}
  return { Student, Course, Enrollment };
}

let db: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  m = defineModels(db);
  await db.createTables([m.Enrollment, m.Course, m.Student]);
});
afterAll(() => db.close());

/** Every test starts from the same rows, whatever ran before it (or alone, with -t). */
async function seed() {
  const { Student, Course, Enrollment } = m;
  await db.execute(sql`TRUNCATE enrollments, students, courses RESTART IDENTITY`);
  const ann = await Student.create({ fullName: 'Ann' });
  const bob = await Student.create({ fullName: 'Bob' });
  const math = await Course.create({ title: 'Math' });
  const art = await Course.create({ title: 'Art' });
  await Enrollment.create({ student: ann, course: math, grade: 1 });
  await Enrollment.create({ student: ann, course: art, grade: 2 });
  await Enrollment.create({ student: bob, course: math, grade: 3 });
  return { ann, bob, math, art };
}
let seeded: Awaited<ReturnType<typeof seed>>;
beforeEach(async () => {
  seeded = await seed();
});

describe('CompositeKey primary keys', () => {
  it('declares PRIMARY KEY over all key columns, which are NOT NULL', async () => {
    const { rows } = await db.execute(
      sql`SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = 'enrollments' AND contype = 'p'`,
    );
    expect(rows).toEqual([{ def: 'PRIMARY KEY (student_id, course_id)' }]);
    const nullable = await db.execute(
      sql`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'enrollments' ORDER BY ordinal_position`,
    );
    expect(nullable.rows).toEqual([
      { column_name: 'student_id', is_nullable: 'NO' },
      { column_name: 'course_id', is_nullable: 'NO' },
      { column_name: 'grade', is_nullable: 'YES' },
    ]);
  });

  it('getById takes a tuple in key order or an object, with instances or raw keys', async () => {
    const { Enrollment } = m;
    const { ann, bob, math, art } = seeded;

    const log = recordQueries(db);
    expect((await Enrollment.getById([ann.id, art.id])).grade).toBe(2);
    expect((await Enrollment.getById({ student: bob, course: math })).grade).toBe(3);
    expect(Enrollment.getByIdSync([ann, math]).grade).toBe(1);
    log.stop();
    expect(log.sql[0]).toBe(
      'SELECT "enrollments"."student_id", "enrollments"."course_id", "enrollments"."grade" FROM "enrollments" ' +
        'WHERE ("enrollments"."student_id" = $1) AND ("enrollments"."course_id" = $2) LIMIT $3',
    );
    await expect(Enrollment.getById([bob.id, art.id])).rejects.toThrow(Enrollment.DoesNotExist);
    expect(() => Enrollment.getById([ann.id])).toThrow(/the key has 2 parts \(student, course\), received 1/);
    expect(() => Enrollment.getById({ student: ann.id })).toThrow(/lacks course/);
    expect(() => Enrollment.getById(ann.id)).toThrow(/composite key; pass \[student, course\]/);
  });

  it('insert() resolves to the whole key, as a tuple in key order that getById takes; null when ignored', async () => {
    const { Enrollment, Student } = m;
    const { art } = seeded;
    const cy = await Student.create({ fullName: 'Cy' });
    const log = recordQueries(db);
    const key = await Enrollment.insert({ student: cy, course: art, grade: 4 });
    expect(key).toEqual([cy.id, art.id]);
    expect(log.sql[0]).toMatch(/RETURNING "enrollments"\."student_id", "enrollments"\."course_id"$/);
    log.stop();
    expect((await Enrollment.getById(key as [number, number])).grade).toBe(4);
    expect(Enrollment.insertSync({ student: cy, course: seeded.math })).toEqual([cy.id, seeded.math.id]);
    // Nothing inserted, nothing to resolve to.
    expect(await Enrollment.insert({ student: cy, course: art }).onConflict({ ignore: true })).toBeNull();
  });

  it('save updates only the changed field of exactly one row, using every key part', async () => {
    const { Enrollment, Student, Course } = m;
    const ann = await Student.get(Student.fullName.eq('Ann'));
    const math = await Course.get(Course.title.eq('Math'));
    const row = await Enrollment.getById([ann.id, math.id]);
    row.grade = 5;
    const log = recordQueries(db);
    expect(await row.save()).toBe(1);
    log.stop();
    expect(log.sql).toEqual(['UPDATE "enrollments" SET "grade" = $1 WHERE ("enrollments"."student_id" = $2) AND ("enrollments"."course_id" = $3)']);
    expect(log.events[0]?.params).toEqual([5, ann.id, math.id]);
    const grades = await Enrollment.select(Enrollment.grade).orderBy(Enrollment.grade).tuples();
    expect(grades).toEqual([[2], [3], [5]]);
    expect(await Enrollment.select().where(Enrollment.grade.eq(1)).count()).toBe(0);
  });

  it('refresh and deleteInstance use every key part', async () => {
    const { Enrollment } = m;
    const row = await Enrollment.get(Enrollment.grade.eq(2));
    await Enrollment.update({ grade: 9 }).where(Enrollment.grade.eq(2));
    await row.refresh();
    expect(row.grade).toBe(9);
    expect(await row.deleteInstance()).toBe(1);
    expect(await Enrollment.select().count()).toBe(2);
  });

  it('a duplicate key is refused by the server', async () => {
    const { Enrollment } = m;
    const existing = await Enrollment.get(Enrollment.grade.eq(3));
    const error = await Enrollment.create({ student: existing.studentId, course: existing.courseId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect((error as UniqueViolationError).constraint).toBe('enrollments_pkey');
  });

  it('is refused at definition when it names a missing field or clashes with a field primaryKey', () => {
    expect(() => model('x1', { a: IntegerField(), b: IntegerField() }, { primaryKey: CompositeKey('a', 'c') })).toThrow(
      /CompositeKey names "c", which is not a field; its fields are a, b/,
    );
    expect(() => model('x2', { id: AutoField(), b: IntegerField() }, { primaryKey: CompositeKey('id', 'b') })).toThrow(/also give a CompositeKey/);
    expect(() => model('x3', { a: IntegerField({ primaryKey: true }), b: IntegerField({ primaryKey: true }) })).toThrow(
      /for a key over several fields use \{ primaryKey: CompositeKey\('a', 'b'\) \}/,
    );
    expect(() => CompositeKey('a')).toThrow(/at least two/);
  });
});
