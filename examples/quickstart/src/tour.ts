import { PostgresqlDatabase } from '@pewit/pg-backend';
import type { Tour } from './context.js';
import { defineModels } from './models.js';
import { asyncQueries } from './sections/queries.js';
import { join, prefetch } from './sections/relations.js';
import { seed } from './sections/seed.js';
import { createSchema } from './sections/setup.js';
import { streaming } from './sections/streaming.js';
import { transactions } from './sections/transactions.js';
import { warnMode } from './sections/warn-mode.js';
import { bold, dim, green, heading } from './style.js';

/** Runs every section in order against `url`. */
export async function runTour(url: string): Promise<void> {
  const db = new PostgresqlDatabase(url);
  const tour: Tour = { db, ...defineModels(db) };
  try {
    heading('1. Tables, created synchronously at start-up');
    createSchema(tour);
    heading('2. Seeding in batches');
    await seed(tour);
    heading('3. Async queries');
    await asyncQueries(tour);
    heading('4. A join');
    await join(tour);
    heading('5. A prefetch');
    await prefetch(tour);
    heading('6. A transaction with a savepoint');
    await transactions(tour);
    heading('7. Streaming with a cursor');
    await streaming(tour);
    heading('8. Warn mode: an accidental lazy load in an async handler');
    await warnMode(tour);
  } finally {
    await db.close();
  }
  console.log(`\n${green(bold('Tour complete.'))} ${dim('Read docs/ next, starting with docs/architecture.md.')}`);
}
