import { beforeEach, describe, expect, it } from 'vitest';
import { importCustomers } from '../../../src/app/import-customers.js';
import { parseCustomerCsv } from '../../../src/csv/customer-csv.js';
import type { AuditLogRepository } from '../../../src/store/audit-log-repository.js';
import type { CustomersRepository } from '../../../src/store/customers-repository.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const NOW = Date.UTC(2026, 10, 27, 8);

describe.each(STORE_DIALECTS)('importCustomers on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let repo: CustomersRepository;
  let audit: AuditLogRepository;

  beforeEach(async () => {
    const { repos } = await stores.open({ clock: () => NOW });
    repo = repos.customers;
    audit = repos.auditLog;
  });

  const run = async (text: string, options: { acceptCheckDigitMismatch?: boolean } = {}) =>
    importCustomers(parseCustomerCsv(Buffer.from(text), 'customers.csv', options), 'customers.csv', { repo, audit, actor: 'ops', now: NOW });

  it('imports valid rows, reports rejected ones and duplicates, and writes one audit row', async () => {
    await repo.add({ uscc: '914403001922038216', name: '招商银行', tags: ['keep'] });
    const summary = await run(
      [
        'uscc,name',
        '91440300708461136T,平安银行',
        '91350100M000100Y4Z,Pilot',
        '914403001922038216,招商银行股份有限公司',
        '91440300708461136T,平安银行股份有限公司',
        '',
      ].join('\n'),
    );
    expect(summary).toMatchObject({
      encoding: 'utf-8',
      imported: 2,
      created: 1,
      updated: 1,
      restored: 0,
      unchanged: 0,
      rejected: [{ line: 3, reason: expect.stringContaining('check digit') }],
      duplicates: [{ line: 2, uscc: '91440300708461136T', keptLine: 5 }],
      warnings: [],
    });
    expect((await repo.list()).map((c) => [c.uscc, c.name, c.tags])).toEqual([
      ['914403001922038216', '招商银行股份有限公司', ['keep']],
      ['91440300708461136T', '平安银行股份有限公司', []],
    ]);
    expect(await audit.recent(10)).toEqual([
      expect.objectContaining({
        at: NOW,
        actor: 'ops',
        action: 'customers.import',
        subject: 'customers.csv',
        details: expect.objectContaining({ imported: 2, rejected: 1, duplicates: 1, acceptedCheckDigitMismatches: [] }),
      }),
    ]);
  });

  it('names accepted check-digit mismatches in the audit row', async () => {
    const summary = await run('uscc,name\n91350100M000100Y4Z,Pilot\n', { acceptCheckDigitMismatch: true });
    expect(summary.imported).toBe(1);
    expect(summary.warnings).toHaveLength(1);
    expect((await audit.recent(1))[0]?.details).toMatchObject({ acceptedCheckDigitMismatches: ['91350100M000100Y4Z'] });
  });

  it('imports nothing and writes no audit row for a file that is not a customer CSV', async () => {
    await expect(run('name,code\nx,y\n')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect(await repo.list()).toEqual([]);
    expect(await audit.recent(10)).toEqual([]);
  });

  it('imports 100,000 rows', async () => {
    const lines = ['uscc,name,tags'];
    for (let i = 0; i < 100_000; i++) lines.push(`${validUscc(i)},客户${i}有限公司,${i % 2 === 0 ? 'even' : 'odd'};all`);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);

    // Times the store's part apart from parsing.
    let upsertMs = 0;
    const timedRepo = {
      upsertMany: async (rows: Parameters<CustomersRepository['upsertMany']>[0]) => {
        const t = performance.now();
        const result = await repo.upsertMany(rows);
        upsertMs = performance.now() - t;
        return result;
      },
    };

    const started = performance.now();
    const summary = await importCustomers(parseCustomerCsv(bytes, 'big.csv'), 'big.csv', { repo: timedRepo, audit, actor: 'ops', now: NOW });
    const firstMs = performance.now() - started;
    const firstUpsertMs = upsertMs;
    expect(summary).toMatchObject({ imported: 100_000, created: 100_000, rejected: [], duplicates: [] });

    const again = performance.now();
    expect(await importCustomers(parseCustomerCsv(bytes, 'big.csv'), 'big.csv', { repo: timedRepo, audit, actor: 'ops', now: NOW })).toMatchObject({
      imported: 100_000,
      unchanged: 100_000,
    });
    const secondMs = performance.now() - again;
    console.log(
      `import of 100,000 rows on ${dialect}: ${firstMs.toFixed(0)} ms into an empty table (upsertMany ${firstUpsertMs.toFixed(0)} ms), ` +
        `${secondMs.toFixed(0)} ms re-importing the same file (upsertMany ${upsertMs.toFixed(0)} ms)`,
    );

    expect(await repo.counts(NOW)).toEqual({ total: 100_000, paused: 0, due: 100_000, failing: 0 });
    expect(await repo.findByUscc(validUscc(77_777))).toMatchObject({ name: '客户77777有限公司', tags: ['odd', 'all'] });
    const odd: string[] = [];
    for await (const uscc of repo.iterateUsccs({ tag: 'odd' })) odd.push(uscc);
    expect(odd).toHaveLength(50_000);
  });
});
