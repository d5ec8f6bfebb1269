import { describe, expect, it } from 'vitest';
import { parseStoreLocation } from '../../../src/store/store-location.js';
import { openStore } from '../../../src/wiring/open-store.js';
import { holdPgTransaction } from '../../helpers/held-pg-transaction.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';

describe.each(STORE_DIALECTS)('audit log on %s', (dialect) => {
  const stores = useTestStores(dialect);

  it('appends entries with JSON details and reads them newest first', async () => {
    const audit = (await stores.open()).repos.auditLog;
    await audit.record({ actor: 'ops', action: 'customers.pause', subject: '91440300708461136T' }, 1000);
    await audit.record({ actor: 'ops', action: 'customers.import', subject: 'a.csv', details: { imported: 3 } }, 2000);
    expect(await audit.recent(10)).toEqual([
      { id: 2, at: 2000, actor: 'ops', action: 'customers.import', subject: 'a.csv', details: { imported: 3 } },
      { id: 1, at: 1000, actor: 'ops', action: 'customers.pause', subject: '91440300708461136T', details: {} },
    ]);
  });
});

describe.each(STORE_DIALECTS)('meta on %s', (dialect) => {
  const stores = useTestStores(dialect);

  it('gets and replaces values', async () => {
    const meta = (await stores.open()).repos.meta;
    expect(await meta.get('last_sweep_at')).toBeUndefined();
    await meta.set('last_sweep_at', '2026-11-27T08:00:00.000Z');
    await meta.set('last_sweep_at', '2026-11-28T08:00:00.000Z');
    expect(await meta.get('last_sweep_at')).toBe('2026-11-28T08:00:00.000Z');
  });

  it('setIfAbsent raced by two workers on two connections: exactly one wins each key, and its value stays', async () => {
    const { repos, cmDb } = await stores.open();
    const other = await openStore({ store: parseStoreLocation(cmDb, process.cwd()) });
    try {
      const keys = Array.from({ length: 50 }, (_, i) => `claim-${i}`);
      const results = await Promise.all(keys.map((key) => Promise.all([repos.meta.setIfAbsent(key, 'mine'), other.repos.meta.setIfAbsent(key, 'theirs')])));
      for (const [i, [mine, theirs]] of results.entries()) {
        expect(mine !== theirs).toBe(true);
        expect(await repos.meta.get(keys[i]!)).toBe(mine ? 'mine' : 'theirs');
      }
    } finally {
      await other.close();
    }
  });
});

describe('meta on postgres, against another transaction', () => {
  const stores = useTestStores('postgres');

  it.each([
    { ending: 'commit', wins: false, value: 'theirs' },
    { ending: 'rollback', wins: true, value: 'mine' },
  ] as const)('setIfAbsent meeting an uncommitted insert of the key waits: it wins only if that one rolls back ($ending)', async ({ ending, wins, value }) => {
    const { store, repos } = await stores.open();
    if (store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
    const held = await holdPgTransaction(store.handle.pool, [['insert into meta (key, value) values ($1, $2)', ['provider_stop', 'theirs']]]);
    const claiming = repos.meta.setIfAbsent('provider_stop', 'mine');
    await held.blocking();
    await (ending === 'commit' ? held.commit() : held.rollback());
    expect(await claiming).toBe(wins);
    expect(await repos.meta.get('provider_stop')).toBe(value);
  });
});
