import { describe, expectTypeOf, it } from 'vitest';
import type { Database, Transaction } from '../src/index.js';

// docs/transactions.md "Manual control": Transaction is exported as a type, with these states and members.
describe('Transaction (a type export)', () => {
  it('has the documented states, run, commit, rollback, isSavepoint and processId', () => {
    expectTypeOf<Transaction['state']>().toEqualTypeOf<'open' | 'ending' | 'committed' | 'rolled back' | 'failed'>();
    expectTypeOf<Transaction['run']>().toBeFunction();
    expectTypeOf<ReturnType<Transaction['commit']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<Transaction['rollback']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<Transaction['isSavepoint']>().toEqualTypeOf<boolean>();
    expectTypeOf<Transaction['processId']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ReturnType<Database['begin']>>().toEqualTypeOf<Promise<Transaction>>();
    // begin() takes isolationLevel and readOnly, not retries.
    type BeginOptions = NonNullable<Parameters<Database['begin']>[0]>;
    expectTypeOf<keyof BeginOptions>().toEqualTypeOf<'isolationLevel' | 'readOnly'>();
  });
});
