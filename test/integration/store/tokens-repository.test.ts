/** API tokens in the store: one name per token not revoked (race-safe), revocation, listing and use notes. */
import { describe, expect, it } from 'vitest';
import type { TokensRepository } from '../../../src/app/token-ports.js';
import { AppError } from '../../../src/errors.js';
import { STORE_DIALECTS, useTestStores } from '../../helpers/test-stores.js';

const T = 1_800_000_000_000;
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe.each(STORE_DIALECTS)('tokens repository on %s', (dialect) => {
  const stores = useTestStores(dialect);

  it('creates a token, finds it with its hash by id, and lists records without the hash', async () => {
    const store = await stores.open();
    const { tokens } = store.repos;
    const created = await tokens.create({ id: '0123456789abcdef', name: 'erp-sync', role: 'analyst', secretHash: HASH_A, at: T });
    expect(created).toEqual({ id: '0123456789abcdef', name: 'erp-sync', role: 'analyst', createdAt: T, lastUsedAt: null, revokedAt: null });
    expect(await tokens.findForVerify('0123456789abcdef')).toEqual({ record: created, secretHash: HASH_A });
    expect(await tokens.findForVerify('fedcba9876543210')).toBeUndefined();
    expect(await tokens.list()).toEqual([created]);
    expect(JSON.stringify(await tokens.list())).not.toContain(HASH_A);
    expect(await store.sql('SELECT secret_hash FROM api_tokens')).toEqual([{ secret_hash: HASH_A }]);
  });

  it('refuses a second token with a name in use, and gives the name again once revoked', async () => {
    const { tokens } = (await stores.open()).repos;
    await tokens.create({ id: '0000000000000001', name: 'console', role: 'viewer', secretHash: HASH_A, at: T });
    const clash = await tokens.create({ id: '0000000000000002', name: 'console', role: 'admin', secretHash: HASH_B, at: T + 1 }).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(AppError);
    expect(clash).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"console"') });

    const revoked = await tokens.revoke('console', T + 2);
    expect(revoked).toMatchObject({ id: '0000000000000001', revokedAt: T + 2 });
    expect(await tokens.revoke('console', T + 3)).toBeUndefined();
    expect(await tokens.revoke('nobody', T + 3)).toBeUndefined();

    await tokens.create({ id: '0000000000000003', name: 'console', role: 'admin', secretHash: HASH_B, at: T + 4 });
    // Newest first, the revoked one kept.
    expect((await tokens.list()).map((t) => [t.id, t.revokedAt])).toEqual([['0000000000000003', null], ['0000000000000001', T + 2]]);
    expect((await tokens.findForVerify('0000000000000001'))?.record.revokedAt).toBe(T + 2);
  });

  it('lets exactly one of concurrent creates with one name win', async () => {
    const { tokens } = (await stores.open()).repos;
    const attempt = (i: number) => tokens.create({ id: `00000000000000a${i}`, name: 'race', role: 'viewer', secretHash: HASH_A, at: T + i });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(attempt));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(reasons.map((e) => (e as AppError).code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect(await tokens.list()).toHaveLength(1);
  });

  it('does not call an id clash a name clash', async () => {
    const { tokens } = (await stores.open()).repos;
    await tokens.create({ id: '0000000000000001', name: 'one', role: 'viewer', secretHash: HASH_A, at: T });
    const clash = await tokens.create({ id: '0000000000000001', name: 'two', role: 'viewer', secretHash: HASH_B, at: T }).catch((e: unknown) => e);
    expect(clash).toMatchObject({ code: 'STORE_FAILED' });
  });

  it('notes uses only forwards in time', async () => {
    const { tokens } = (await stores.open()).repos;
    await tokens.create({ id: '0000000000000001', name: 'one', role: 'viewer', secretHash: HASH_A, at: T });
    const lastUsed = async (repo: TokensRepository) => (await repo.findForVerify('0000000000000001'))?.record.lastUsedAt;
    await tokens.touch('0000000000000001', T + 100);
    expect(await lastUsed(tokens)).toBe(T + 100);
    await tokens.touch('0000000000000001', T + 50);
    expect(await lastUsed(tokens)).toBe(T + 100);
    await tokens.touch('0000000000000001', T + 70_000);
    expect(await lastUsed(tokens)).toBe(T + 70_000);
    await tokens.touch('ffffffffffffffff', T + 80_000);
    expect(await tokens.list()).toHaveLength(1);
  });
});
