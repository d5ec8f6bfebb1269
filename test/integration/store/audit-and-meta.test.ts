import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLogRepository } from '../../../src/store/audit-log-repository.js';
import { createMetaRepository } from '../../../src/store/meta-repository.js';
import { openTempDatabase, type TempDatabase } from '../../helpers/temp-database.js';

let temp: TempDatabase;
beforeEach(() => {
  temp = openTempDatabase();
});
afterEach(() => {
  temp.cleanup();
});

describe('audit log', () => {
  it('appends entries with JSON details and reads them newest first', async () => {
    const audit = createAuditLogRepository(temp.handle);
    await audit.record({ actor: 'ops', action: 'customers.pause', subject: '91440300708461136T' }, 1000);
    await audit.record({ actor: 'ops', action: 'customers.import', subject: 'a.csv', details: { imported: 3 } }, 2000);
    expect(await audit.recent(10)).toEqual([
      { id: 2, at: 2000, actor: 'ops', action: 'customers.import', subject: 'a.csv', details: { imported: 3 } },
      { id: 1, at: 1000, actor: 'ops', action: 'customers.pause', subject: '91440300708461136T', details: {} },
    ]);
  });
});

describe('meta', () => {
  it('gets and replaces values', async () => {
    const meta = createMetaRepository(temp.handle);
    expect(await meta.get('last_sweep_at')).toBeUndefined();
    await meta.set('last_sweep_at', '2026-11-27T08:00:00.000Z');
    await meta.set('last_sweep_at', '2026-11-28T08:00:00.000Z');
    expect(await meta.get('last_sweep_at')).toBe('2026-11-28T08:00:00.000Z');
  });
});
