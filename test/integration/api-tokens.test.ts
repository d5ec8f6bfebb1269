/** Issuing and verifying API tokens against a real (SQLite) store. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../src/app/api-tokens.js';
import { AppError } from '../../src/errors.js';
import { useTestStores, type TestStore } from '../helpers/test-stores.js';

const T = 1_800_000_000_000;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('API tokens', () => {
  const stores = useTestStores('sqlite');

  async function setUp(): Promise<{ store: TestStore; deps: { tokens: TestStore['repos']['tokens']; clock: () => number }; at: (ms: number) => void }> {
    const store = await stores.open();
    let now = T;
    return { store, deps: { tokens: store.repos.tokens, clock: () => now }, at: (ms) => (now = ms) };
  }

  it('issues cm_<id>_<secret> and stores only the hash of the secret', async () => {
    const { store, deps } = await setUp();
    const { token, record } = await issueToken('erp-sync', 'analyst', deps);
    const [, id, secret] = /^cm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token) ?? [];
    expect(record).toEqual({ id, name: 'erp-sync', role: 'analyst', createdAt: T, lastUsedAt: null, revokedAt: null });
    expect(Buffer.from(secret!, 'base64url')).toHaveLength(32);
    const rows = await store.sql('SELECT * FROM api_tokens');
    expect(rows).toEqual([{ id, name: 'erp-sync', role: 'analyst', secret_hash: sha256(secret!), created_at: T, last_used_at: null, revoked_at: null }]);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('takes its random bytes from the given source', async () => {
    const { deps } = await setUp();
    const { token } = await issueToken('fixed', 'viewer', { ...deps, randomBytes: (size) => Buffer.alloc(size, 0xff) });
    expect(token).toBe(`cm_ffffffffffffffff_${Buffer.alloc(32, 0xff).toString('base64url')}`);
  });

  it.each(['', 'a'.repeat(65), 'has space', '令牌', 'semi;colon', 'new\nline', 'slash/x'])('refuses the name %j', async (name) => {
    const { deps } = await setUp();
    await expect(issueToken(name, 'viewer', deps)).rejects.toMatchObject({ code: 'USAGE' });
    expect(await deps.tokens.list()).toEqual([]);
  });

  it.each(['a', 'a'.repeat(64), 'ERP_sync-2.v1'])('accepts the name %j', async (name) => {
    const { deps } = await setUp();
    expect((await issueToken(name, 'viewer', deps)).record.name).toBe(name);
  });

  it('refuses a name a token not revoked has (CONFLICT)', async () => {
    const { deps } = await setUp();
    await issueToken('console', 'viewer', deps);
    const clash = await issueToken('console', 'admin', deps).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(AppError);
    expect(clash).toMatchObject({ code: 'CONFLICT' });
  });

  it('verifies a good token, and refuses a wrong secret, an unknown id and a revoked token', async () => {
    const { deps } = await setUp();
    const { token, record } = await issueToken('console', 'admin', deps);
    const id = record.id;
    const secret = token.slice(`cm_${id}_`.length);
    expect(await verifyToken(token, deps)).toEqual({ ...record, lastUsedAt: T });

    const flipped = `${secret.slice(0, -2)}${secret.at(-2) === 'A' ? 'B' : 'A'}${secret.at(-1)!}`;
    expect(await verifyToken(`cm_${id}_${flipped}`, deps)).toBeUndefined();
    const { token: other } = await issueToken('other', 'viewer', deps);
    expect(await verifyToken(`cm_${id}_${other.slice(20)}`, deps)).toBeUndefined();
    const unknownId = id === '0000000000000000' ? '0000000000000001' : '0000000000000000';
    expect(await verifyToken(`cm_${unknownId}_${secret}`, deps)).toBeUndefined();

    await deps.tokens.revoke('console', T + 1);
    expect(await verifyToken(token, deps)).toBeUndefined();
    expect(await verifyToken(other, deps)).toMatchObject({ name: 'other', role: 'viewer' });
  });

  it.each([
    ['empty', () => ''],
    ['the id alone', (t: string) => t.slice(0, 19)],
    ['another prefix', (t: string) => `xx${t.slice(2)}`],
    ['upper-case id', (t: string) => `cm_${t.slice(3, 19).toUpperCase()}${t.slice(19)}`],
    ['a short secret', (t: string) => t.slice(0, -1)],
    ['a long secret', (t: string) => `${t}A`],
    ['padding', (t: string) => `${t}=`],
    ['spaces around it', (t: string) => ` ${t} `],
    ['a Bearer prefix', (t: string) => `Bearer ${t}`],
    ['a character outside base64url', (t: string) => `${t.slice(0, -1)}+`],
    ['a line break', (t: string) => `${t}\n`],
    ['a very long string', (t: string) => t.repeat(10_000)],
  ])('treats a malformed token (%s) as no token, without a store read', async (_, mangle) => {
    const { deps } = await setUp();
    const { token } = await issueToken('console', 'admin', deps);
    let reads = 0;
    const counting = { ...deps, tokens: { ...deps.tokens, findForVerify: (id: string) => (reads++, deps.tokens.findForVerify(id)) } };
    expect(await verifyToken(mangle(token), counting)).toBeUndefined();
    expect(reads).toBe(0);
  });

  it('notes a use at most once a minute', async () => {
    const { deps, at } = await setUp();
    const { token, record } = await issueToken('console', 'analyst', deps);
    const lastUsed = async () => (await deps.tokens.findForVerify(record.id))?.record.lastUsedAt;
    let touches = 0;
    const counting = { ...deps, tokens: { ...deps.tokens, touch: (id: string, ms: number) => (touches++, deps.tokens.touch(id, ms)) } };

    at(T + 1_000);
    await verifyToken(token, counting);
    at(T + 60_999);
    expect(await verifyToken(token, counting)).toMatchObject({ lastUsedAt: T + 1_000 });
    expect([touches, await lastUsed()]).toEqual([1, T + 1_000]);
    at(T + 61_000);
    await verifyToken(token, counting);
    expect([touches, await lastUsed()]).toEqual([2, T + 61_000]);
  });
});
