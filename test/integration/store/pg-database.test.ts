import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { COPY_TABLES } from '../../../src/store/copy/copy-tables.js';
import { parseStoreLocation } from '../../../src/store/store-location.js';
import { openStore } from '../../../src/wiring/open-store.js';
import { useTestStores } from '../../helpers/test-stores.js';

describe('the PostgreSQL store', () => {
  const stores = useTestStores('postgres');

  it('is migrated once by processes that open it together, and answers a ping', async () => {
    const url = await stores.freshLocation();
    const location = { store: parseStoreLocation(url, process.cwd()) };
    const opened = await Promise.all([openStore(location), openStore(location), openStore(location)]);
    try {
      const first = opened[0];
      if (first.dialect !== 'postgres') throw new Error('expected PostgreSQL');
      await expect(first.ping()).resolves.toBeUndefined();
      const applied = await first.handle.pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows[0]?.n).toBeGreaterThan(0);
      const tables = await first.handle.pool.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables.rows[0]?.n).toBe(COPY_TABLES.length);
    } finally {
      await Promise.all(opened.map((store) => store.close()));
    }
  });

  it('refuses a wrong password with one line that names the server but not the password', async () => {
    const url = new URL(await stores.freshLocation());
    url.password = 'not-the-password';
    const failure = await openStore({ store: parseStoreLocation(url.toString(), process.cwd()) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    const error = failure as AppError;
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toContain(`${url.hostname}:${url.port}`);
    expect(error.message).not.toContain('not-the-password');
    expect(error.message).not.toContain('\n');
  });

  it('says the server is unreachable as a retryable store failure', async () => {
    const url = new URL(await stores.freshLocation());
    url.port = '1';
    const failure = await openStore({ store: parseStoreLocation(url.toString(), process.cwd()) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'STORE_FAILED', retryable: true });
  });
});
