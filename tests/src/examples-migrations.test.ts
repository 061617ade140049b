import { fileURLToPath } from 'node:url';
import { adminQuery, runNode, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/migrations (npm start -w @pewit/example-migrations)', () => {
  it('turns a model change into a migration, applies it, finds nothing more, rolls it back, and leaves nothing behind', async () => {
    await adminQuery(database.url(), 'CREATE TABLE bystander (id integer)');
    const result = await runNode(['examples/migrations/dist/main.js'], { cwd: repoRoot, env: { DATABASE_URL: database.url() }, limitMillis: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).not.toContain(String.fromCharCode(27));
    expect(out).toContain(
      [
        '  · rename column example_accounts.fullname → full_name',
        '  · create table example_notes',
        '  · drop column example_accounts.age',
        '    ! DESTRUCTIVE: the values of example_accounts.age are deleted',
        '    ! down: the down adds example_accounts.age back, empty: its data cannot be restored',
        '  · add column example_accounts.bio text',
        '  · add column example_accounts.joined_at timestamp with time zone',
      ].join('\n'),
    );
    expect(out).toMatch(/the file it wrote, \d{14}_account_profile\.js:/);
    expect(out).toContain("      m.renameColumn('example_accounts', 'fullname', 'full_name');");
    expect(out).toContain('      // CANNOT RESTORE: the down adds example_accounts.age back, empty: its data cannot be restored');
    expect(out).toContain('  1 migration(s) applied');
    expect(out).toContain('the renamed column kept its data: [{"username":"ada","full_name":"Ada Lovelace"}]');
    expect(out).toContain('4. make again: the database matches the models\n  nothing to make, no file written');
    expect(out).toContain('  1 migration(s) rolled back');
    expect(out.trimEnd().split('\n').at(-1)).toBe('Done: the example dropped what it created.');
    const { rows } = await adminQuery(
      database.url(),
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
    );
    expect(rows).toEqual([{ relname: 'bystander' }]);
  });
});
