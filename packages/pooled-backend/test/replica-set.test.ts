import { AdminShutdownError, DatabaseError, OperationalError, QueryCanceledError, SerializationError, UniqueViolationError } from '@pewit/core';
import { describe, expect, it } from 'vitest';
import { replicaVerdict } from '../src/replica-failure.js';
import { ReplicaSet } from '../src/replica-set.js';
import type { ServerPool } from '../src/server-pool.js';

// The rotation's rules on a clock the test moves; the pools are never touched by pick/failed/succeeded.
function replicaSet(count: number, retryMillis = 100) {
  const clock = { now: 0 };
  const pools = Array.from({ length: count }, () => ({}) as ServerPool);
  return { set: new ReplicaSet(pools, retryMillis, () => clock.now), clock };
}
const down = new OperationalError('connect ECONNREFUSED 127.0.0.1:5433');

describe('ReplicaSet: the rotation of read replicas', () => {
  it('round-robins over the replicas in rotation and skips one that failed', () => {
    const { set } = replicaSet(3);
    expect([set.pick(), set.pick(), set.pick(), set.pick()].map((r) => r?.index)).toEqual([0, 1, 2, 0]);
    set.failed(set.replicas[1]!, down);
    expect([set.pick(), set.pick(), set.pick()].map((r) => r?.index)).toEqual([2, 0, 2]);
  });

  it('tries a failed replica again after a pause that doubles while it keeps failing, one caller at a time', () => {
    const { set, clock } = replicaSet(1, 100);
    const [replica] = set.replicas;
    set.failed(replica!, down);
    expect(set.pick()).toBeUndefined();
    clock.now = 100;
    expect(set.pick()).toBe(replica);
    // Being tried: nobody else gets it until that try answers.
    expect(set.pick()).toBeUndefined();
    set.failed(replica!, down);
    clock.now = 299;
    expect(set.pick()).toBeUndefined();
    clock.now = 300;
    expect(set.pick()).toBe(replica);
    set.succeeded(replica!);
    expect([set.pick(), set.pick()]).toEqual([replica, replica]);
    expect(replica?.failures).toBe(0);
  });

  it('counts failures of reads already in flight once, and stops doubling at 30 s', () => {
    const { set, clock } = replicaSet(1, 10_000);
    const [replica] = set.replicas;
    for (let i = 0; i < 5; i++) set.failed(replica!, down);
    expect(replica?.failures).toBe(1);
    for (const pause of [10_000, 20_000, 30_000, 30_000]) {
      clock.now += pause - 1;
      expect(set.pick()).toBeUndefined();
      clock.now += 1;
      expect(set.pick()).toBe(replica);
      set.failed(replica!, down);
    }
    expect(replica?.lastError).toBe(down);
  });
});

describe('replicaVerdict: what a failed read on a replica says', () => {
  const coded = (code: string) => new DatabaseError(`error ${code}`, { code });
  it('a replica that went away, shut down or refuses connections is down', () => {
    expect(replicaVerdict(new AdminShutdownError('terminating connection due to administrator command', { code: '57P01' }))).toBe('down');
    expect(replicaVerdict(new OperationalError('the database system is starting up', { code: '57P03' }))).toBe('down');
    expect(replicaVerdict(new OperationalError('Connection terminated unexpectedly'))).toBe('down');
  });
  it('recovery conflicts, read-only refusals and objects not replayed yet go to the primary', () => {
    expect(replicaVerdict(new SerializationError('canceling statement due to conflict with recovery', { code: '40001' }))).toBe('primary');
    for (const code of ['40P01', '55P03', '25006', '42P01', '42703', '42883', '42704', '3F000']) expect(replicaVerdict(coded(code))).toBe('primary');
  });
  it("the statement's own errors reach the caller", () => {
    expect(replicaVerdict(new QueryCanceledError('canceling statement due to statement timeout', { code: '57014' }))).toBeUndefined();
    expect(replicaVerdict(new UniqueViolationError('duplicate', { code: '23505' }))).toBeUndefined();
    expect(replicaVerdict(coded('42601'))).toBeUndefined();
    expect(replicaVerdict(new TypeError('bad'))).toBeUndefined();
  });
});
