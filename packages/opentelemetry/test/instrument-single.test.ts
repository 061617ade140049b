import { PostgresqlDatabase } from '@pewit/pg-backend';
import { describeInstrument } from './instrument-suite.js';

describeInstrument('PostgresqlDatabase', (url) => new PostgresqlDatabase(url));
