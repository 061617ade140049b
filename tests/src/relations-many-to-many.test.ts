import {
  type AnyModelClass,
  AutoField,
  ForeignKeyField,
  IntegerField,
  ManyToManyField,
  type ManyToManyQuery,
  model,
  prefetch,
  sql,
  TextField,
  UniqueViolationError,
  ValidationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class Student extends model(
    'students',
    { id: AutoField(), nick: TextField(), courses: ManyToManyField(() => Course, { backref: 'students' }) },
    { database: db },
  ) {}
  class Course extends model('courses', { id: AutoField(), title: TextField() }, { database: db }) {
    declare readonly students: ManyToManyQuery<Student>;
  }
  // An explicit through model with a column of its own.
  class Club extends model(
    'clubs',
    { id: AutoField(), title: TextField(), members: ManyToManyField(() => Student, { through: (): AnyModelClass => Membership }) },
    { database: db },
  ) {}
  class Membership extends model(
    'memberships',
    { id: AutoField(), club: ForeignKeyField(() => Club), student: ForeignKeyField(() => Student), dues: IntegerField({ default: 0 }) },
    { database: db, indexes: [{ fields: ['club', 'student'], unique: true }] },
  ) {}
  return { Student, Course, Club, Membership };
}

let db: PostgresqlDatabase;
let M: ReturnType<typeof defineModels>;
const titles = (rows: readonly { title: string }[]) => rows.map((r) => r.title).sort();

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  await db.createTables([M.Student, M.Course, M.Club, M.Membership]);
  await M.Course.insertMany([{ title: 'art' }, { title: 'math' }, { title: 'music' }, { title: 'poetry' }]);
});
afterAll(() => db.close());
// Students, clubs and their links start empty in every test (the courses above stay): no test needs another's rows.
beforeEach(async () => {
  await db.execute(sql`TRUNCATE students, clubs RESTART IDENTITY CASCADE`);
});

async function student(nick: string) {
  return M.Student.create({ nick });
}
async function course(title: string) {
  return M.Course.get(M.Course.title.eq(title));
}

describe('ManyToManyField', () => {
  it('creates the implicit through table with createTables, with a unique pair', async () => {
    const { rows } = await db.execute(sql`SELECT indexdef FROM pg_indexes WHERE tablename = ${'students_courses_through'} ORDER BY indexname`);
    expect(rows.map((r) => r.indexdef)).toContainEqual(expect.stringMatching(/CREATE UNIQUE INDEX .* \(student_id, course_id\)/));
  });

  it('adds instances, keys and a query; reads the relation as a lazy query', async () => {
    const ann = await student('ann');
    const [art, math] = [await course('art'), await course('math')];
    const log = recordQueries(db);
    expect(await ann.courses.add([art, math])).toBe(2);
    expect(log.count).toBe(1);
    expect(log.sql[0]).toMatch(/^INSERT INTO "students_courses_through" \("student_id", "course_id"\) VALUES/);
    log.reset();
    const q = ann.courses;
    expect(log.count).toBe(0);
    expect(titles(await q)).toEqual(['art', 'math']);
    expect(log.count).toBe(1);
    expect(log.sql[0]).toContain('INNER JOIN "students_courses_through" ON "students_courses_through"."course_id" = "courses"."id"');
    // Chainable: a filter on the related model.
    expect(titles(await ann.courses.where(M.Course.title.eq('math')))).toEqual(['math']);
    const music = await course('music');
    log.reset();
    expect(await ann.courses.add(music.id)).toBe(1);
    expect(await ann.courses.add(M.Course.select().where(M.Course.title.eq('poetry')))).toBe(1);
    expect(log.count).toBe(2);
    expect(log.sql[1]).toMatch(
      /^INSERT INTO "students_courses_through" \("student_id", "course_id"\) SELECT CAST\(\$1 AS integer\), "courses"."id" FROM "courses"/,
    );
    expect(titles([...ann.courses])).toEqual(['art', 'math', 'music', 'poetry']);
    log.stop();
  });

  it('removes, clears and sets, each in the expected number of statements', async () => {
    const bea = await student('bea');
    const [art, math, music] = [await course('art'), await course('math'), await course('music')];
    await bea.courses.add([art, math, music]);
    const log = recordQueries(db);
    expect(await bea.courses.remove(art)).toBe(1);
    expect(await bea.courses.remove(M.Course.select().where(M.Course.title.eq('math')))).toBe(1);
    expect(await bea.courses.remove([])).toBe(0);
    expect(log.count).toBe(2);
    expect(titles(await bea.courses)).toEqual(['music']);
    log.reset();
    expect(await bea.courses.set([art, math.id])).toBe(2);
    expect(log.count).toBe(2);
    expect(titles(await bea.courses)).toEqual(['art', 'math']);
    expect(bea.courses.clearSync()).toBe(2);
    expect(await bea.courses).toEqual([]);
    log.stop();
  });

  it('refuses a duplicate pair, a wrong model and an unsaved instance', async () => {
    const cy = await student('cy');
    const art = await course('art');
    await cy.courses.add(art);
    await expect(cy.courses.add(art)).rejects.toThrow(UniqueViolationError);
    const log = recordQueries(db);
    await expect(cy.courses.add(cy as never)).rejects.toThrow(ValidationError);
    const unsaved = new M.Student({ nick: 'ghost' });
    expect(() => unsaved.courses).toThrow(/has no id yet; save it first/);
    expect(() => {
      (cy as unknown as { courses: unknown }).courses = [];
    }).toThrow(/many-to-many relation: change it with/);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('reads the backref from the other side', async () => {
    const dee = await student('dee');
    const ann = await student('ann');
    const poetry = await course('poetry');
    await dee.courses.add(poetry);
    await ann.courses.add([poetry, await course('art')]);
    await student('nobody');
    const nicks = (await poetry.students).map((s) => s.nick).sort();
    expect(nicks).toEqual(['ann', 'dee']);
    await poetry.students.remove(dee);
    expect(titles(await dee.courses)).toEqual([]);
  });

  it('prefetches through the join table in one statement per level, both ways', async () => {
    const { Student, Course } = M;
    await M.Student.delete();
    const eve = await student('eve');
    const fay = await student('fay');
    await student('gus');
    await eve.courses.add([await course('art'), await course('math')]);
    await fay.courses.add(await course('math'));
    const log = recordQueries(db);
    const students = await Student.select().orderBy(Student.nick).prefetch(Course.select().orderBy(Course.title));
    expect(log.count).toBe(2);
    expect(students.map((s) => [s.nick, [...s.courses].map((c) => c.title)])).toEqual([
      ['eve', ['art', 'math']],
      ['fay', ['math']],
      ['gus', []],
    ]);
    expect(log.count).toBe(2);
    log.reset();
    const courses = await Course.select()
      .where(Course.title.in(['math', 'art']))
      .orderBy(Course.title)
      .prefetch(Student.select().orderBy(Student.nick));
    expect(courses.map((c) => [c.title, [...c.students].map((s) => s.nick)])).toEqual([
      ['art', ['eve']],
      ['math', ['eve', 'fay']],
    ]);
    expect(log.count).toBe(2);
    // A change drops the loaded list: the next read queries again.
    const math = courses[1] as (typeof courses)[number];
    await prefetch([math], Student);
    log.reset();
    await math.students.remove(fay);
    expect((await math.students).map((s) => s.nick)).toEqual(['eve']);
    expect(log.count).toBe(2);
    log.stop();
  });

  it('works through an explicit through model', async () => {
    const { Club, Membership } = M;
    const chess = await Club.create({ title: 'chess' });
    const hal = await student('hal');
    expect(await chess.members.add(hal)).toBe(1);
    expect((await chess.members).map((s: { nick: string }) => s.nick)).toEqual(['hal']);
    const membership = await Membership.get(Membership.club.eq(chess));
    expect(membership.dues).toBe(0);
    expect(membership.studentId).toBe(hal.id);
  });
});
