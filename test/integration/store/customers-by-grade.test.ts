/** The register read by grade: counts for the cadence plan and the paged `customers list --grade`. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomersRepository } from '../../../src/store/customers-repository.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

describe.each(STORE_DIALECTS)('customers by grade on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let store: TestStore;
  let repo: CustomersRepository;
  const codes = Array.from({ length: 7 }, (_, i) => validUscc(100 + i));
  // 0 risk, 1 good, 2 risk (paused), 3 risk (removed), 4 excellent, 5 risk, 6 unrated.
  const grades = ['risk', 'good', 'risk', 'risk', 'excellent', 'risk', 'unrated'];

  beforeEach(async () => {
    store = await stores.open();
    repo = store.repos.customers;
    for (const [i, uscc] of codes.entries()) {
      await repo.add({ uscc, name: `c${i}` });
      await store.sql('update customers set grade = ? where uscc = ?', grades[i], uscc);
    }
    await repo.setPaused(codes[2]!, true);
    await repo.remove(codes[3]!);
  });

  it('counts monitored customers per grade, leaving out paused and removed ones and grades nobody has', async () => {
    expect(await repo.countByGrade()).toEqual({ risk: 2, good: 1, excellent: 1, unrated: 1 });
  });

  it('counts customers per grade checked since a time, paused ones included', async () => {
    const checked = (uscc: string, at: number | null) => store.sql('update customers set last_checked_at = ? where uscc = ?', at, uscc);
    await checked(codes[0]!, 2_000);
    await checked(codes[1]!, 1_999);
    await checked(codes[2]!, 5_000);
    await checked(codes[3]!, 5_000); // removed
    await checked(codes[5]!, 2_001);
    expect(await repo.checkedByGradeSince(2_000)).toEqual({ risk: 3 });
    expect(await repo.checkedByGradeSince(0)).toEqual({ risk: 3, good: 1 });
  });

  it('pages through the register by id, every grade or one, paused ones included and removed ones left out', async () => {
    const pages = async (options: Parameters<CustomersRepository['iterate']>[0]): Promise<string[][]> => {
      const out: string[][] = [];
      for await (const page of repo.iterate(options)) out.push(page.map((c) => c.uscc));
      return out;
    };
    expect(await pages({ pageSize: 3 })).toEqual([[0, 1, 2], [4, 5, 6]].map((p) => p.map((i) => codes[i])));
    expect(await pages({ grade: 'risk', pageSize: 1 })).toEqual([[codes[0]], [codes[2]], [codes[5]]]);
    expect(await pages({ grade: 'fair' })).toEqual([]);
    const [first] = await pages({ grade: 'excellent' });
    expect(first).toEqual([codes[4]]);
    for await (const page of repo.iterate({ grade: 'good' })) expect(page[0]).toMatchObject({ uscc: codes[1], name: 'c1', paused: false });
  });
});
