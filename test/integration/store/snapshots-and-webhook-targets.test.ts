/** The small repositories start-up and delivery rely on: which providers wrote snapshots, and webhook targets an operator disabled. */
import { describe, expect, it } from 'vitest';
import { sampleSnapshot } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';

const USCC = '91440300708461136T';

describe.each(STORE_DIALECTS)('snapshots repository on %s', (dialect) => {
  const stores = useTestStores(dialect);

  const addSnapshot = async (store: TestStore, customerId: number, provider: string): Promise<void> => {
    await store.sql(
      'insert into snapshots (customer_id, taken_at, hash, provider, provider_version, normaliser_version, body) values (?, ?, ?, ?, ?, ?, ?)',
      customerId, 1_800_000_000_000, `hash-${provider}`, provider, '1', 1, JSON.stringify(sampleSnapshot()),
    );
  };

  it('names a provider other than the given one that wrote a snapshot, or none', async () => {
    const store = await stores.open();
    const { snapshots, customers } = store.repos;
    expect(await snapshots.providerOtherThan('mock')).toBeUndefined();
    const { customer } = await customers.add({ uscc: USCC, name: '平安银行' });
    await addSnapshot(store, customer.id, 'mock');
    expect(await snapshots.providerOtherThan('mock')).toBeUndefined();
    expect(await snapshots.providerOtherThan('tianyancha')).toBe('mock');
    await addSnapshot(store, customer.id, 'qichacha');
    expect(await snapshots.providerOtherThan('mock')).toBe('qichacha');
    expect(['mock', 'qichacha']).toContain(await snapshots.providerOtherThan('tianyancha'));
  });
});

describe.each(STORE_DIALECTS)('webhook targets repository on %s', (dialect) => {
  const stores = useTestStores(dialect);

  it('disables a target (again: the latest reason and time), lists the disabled ones, and enables them', async () => {
    const targets = (await stores.open()).repos.webhookTargets;
    expect(await targets.disabledWebhookTargets()).toEqual([]);
    await targets.disableWebhookTarget('erp', 'HTTP 410', 1000);
    await targets.disableWebhookTarget('erp', 'HTTP 410 Gone', 2000);
    await targets.disableWebhookTarget('audit', 'HTTP 410', 3000);
    const byName = (list: Array<{ name: string }>) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(await targets.disabledWebhookTargets())).toEqual([
      { name: 'audit', disabledAt: 3000, reason: 'HTTP 410' },
      { name: 'erp', disabledAt: 2000, reason: 'HTTP 410 Gone' },
    ]);

    expect(await targets.enableWebhookTarget('erp')).toBe(true);
    expect(await targets.enableWebhookTarget('erp')).toBe(false);
    expect(await targets.enableWebhookTarget('never-disabled')).toBe(false);
    expect(await targets.disabledWebhookTargets()).toEqual([{ name: 'audit', disabledAt: 3000, reason: 'HTTP 410' }]);
  });
});
