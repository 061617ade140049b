import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { describeInstrument } from './instrument-suite.js';

describeInstrument('PooledPostgresqlDatabase', (url) => new PooledPostgresqlDatabase(url, { max: 4 }));
