/**
 * `tokens create | list | revoke` as an operator runs them (the built CLI on a SQLite store): the
 * token is printed once and verifies; lists never show a secret or hash; a name comes free again once
 * revoked; a name in use (1), an unknown or revoked name (1) and a bad role (2) are one line each;
 * every change is in the audit log.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/app/api-tokens.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { openDatabase } from '../../src/store/database.js';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';

interface Created { token: string; name: string; role: string; id: string; createdAt: string }
interface Listed { id: string; name: string; role: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

const TOKEN = /^cm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

describe('tokens CLI', () => {
  let cli: CliSandbox;
  beforeAll(() => {
    cli = cliSandbox();
  });
  afterAll(() => {
    cli.cleanup();
  });

  it('creates, refuses, revokes, gives a revoked name again, and lists without secrets', async () => {
    const first = await cli.run(['tokens', 'create', '--name', 'console', '--role', 'admin', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as Created;
    expect(Object.keys(created)).toEqual(['token', 'name', 'role', 'id', 'createdAt']);
    expect(created).toMatchObject({ name: 'console', role: 'admin', token: expect.stringMatching(TOKEN) });
    expect(created.token.slice(3, 19)).toBe(created.id);
    expect(first.stderr).toContain('只显示这一次');

    // Text: the token alone on stdout, so that `$(credit-monitor tokens create …)` captures it.
    const text = await cli.run(['tokens', 'create', '--name', 'erp-sync', '--role', 'viewer']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${TOKEN.source.slice(0, -1)}\\n$`));
    const erpToken = text.stdout.trim();

    const duplicate = await cli.run(['tokens', 'create', '--name', 'console', '--role', 'analyst']);
    expect([duplicate.code, duplicate.stdout, duplicate.stderr]).toEqual([1, '', 'credit-monitor: a token named "console" exists and is not revoked\n']);
    const badRole = await cli.run(['tokens', 'create', '--name', 'x', '--role', 'root']);
    expect([badRole.code, badRole.stderr]).toEqual([2, 'credit-monitor: --role "root": expected one of viewer, analyst, admin\n']);

    const revoked = await cli.run(['tokens', 'revoke', 'console']);
    expect([revoked.code, revoked.stdout]).toEqual([0, '令牌 console 已吊销\n']);
    const again = await cli.run(['tokens', 'revoke', 'console']);
    expect([again.code, again.stdout, again.stderr]).toEqual([1, '', 'credit-monitor: no token named "console" that is not revoked (see "credit-monitor tokens list")\n']);

    const second = await cli.run(['tokens', 'create', '--name', 'console', '--role', 'viewer', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const recreated = JSON.parse(second.stdout) as Created;

    const listed = await cli.run(['tokens', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { tokens } = JSON.parse(listed.stdout) as { tokens: Listed[] };
    expect(tokens.map((t) => [t.name, t.role, t.revokedAt === null])).toEqual([['console', 'viewer', true], ['erp-sync', 'viewer', true], ['console', 'admin', false]]);
    expect(Object.keys(tokens[0]!).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role']);
    const listText = await cli.run(['tokens', 'list']);
    expect(listText.code).toBe(0);
    expect(listText.stdout).toMatch(/^console {2}admin {3}管理 {2}创建 \S+ {2}最近使用 从未 {2}已吊销 \S+$/m);
    expect(listText.stdout).toContain('共 3 个令牌');

    const sqlite = new Database(cli.dbPath, { readonly: true });
    try {
      const hashes = (sqlite.prepare('SELECT secret_hash FROM api_tokens').all() as Array<{ secret_hash: string }>).map((r) => r.secret_hash);
      expect(hashes).toHaveLength(3);
      for (const output of [listed.stdout, listText.stdout]) {
        for (const secret of [created.token, erpToken, recreated.token].map((t) => t.slice(20))) expect(output).not.toContain(secret);
        for (const hash of hashes) expect(output).not.toContain(hash);
      }
      const audit = sqlite.prepare("SELECT actor, action, subject FROM audit_log WHERE action LIKE 'tokens.%' ORDER BY id").all();
      expect(audit).toEqual(['tokens.create', 'tokens.create', 'tokens.revoke', 'tokens.create'].map((action, i) => ({
        actor: expect.stringMatching(/^cli:/), action, subject: i === 1 ? 'erp-sync' : 'console',
      })));
    } finally {
      sqlite.close();
    }

    // What the CLI printed signs in; the revoked one does not.
    const handle = openDatabase(cli.dbPath, { fileMustExist: true });
    try {
      const deps = { tokens: createRepositories(handle).tokens, clock: () => Date.parse(recreated.createdAt) + 1 };
      expect(await verifyToken(recreated.token, deps)).toMatchObject({ name: 'console', role: 'viewer' });
      expect(await verifyToken(erpToken, deps)).toMatchObject({ name: 'erp-sync' });
      expect(await verifyToken(created.token, deps)).toBeUndefined();
    } finally {
      handle.close();
    }
  });
});
