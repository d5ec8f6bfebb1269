/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a real
 * `credit-monitor serve` on a free port, a real SQLite store and a real Redis: sign in, see a fresh
 * critical alert in the inbox and acknowledge it, open the customer's timeline and re-scan it,
 * resolve the case with `restrict`, import a CSV with a bad row and see the row error, and a viewer
 * who gets no analyst buttons and whose forged post is refused. Each page is screenshotted into
 * test-artifacts/screenshots/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/app/api-tokens.js';
import type { StoredEvent } from '../../src/app/ports.js';
import { openSqliteStore } from '../../src/wiring/open-store.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { intakeFor } from '../helpers/case-fixtures.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { CLI_PATH, REPO_ROOT } from '../helpers/run-cli.js';
import { sampleCheck, sampleEvent, withoutSnapshot } from '../helpers/store-fixtures.js';
import { validUscc } from '../helpers/valid-uscc.js';

const USCC = validUscc(501);
const HOSTILE = '<img src=x onerror=alert(1)>坏名字';

describe('the console in Chromium', () => {
  let dir: string;
  let redis: RedisServer;
  let serve: ChildProcess;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };
  let caseId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cm-console-'));
    const dbPath = join(dir, 'cm.db');
    const store = openSqliteStore(dbPath);
    const now = Date.now();
    const customerId = (await store.repos.customers.add({ uscc: USCC, name: '深圳市示例贸易有限公司', tags: ['华南'] })).customer.id;
    await store.repos.customers.add({ uscc: validUscc(502), name: HOSTILE, tags: [] });
    const events: StoredEvent[] = [
      sampleEvent(customerId, {
        id: 'evt-serious',
        type: 'serious_violation.listed',
        tier: 'critical',
        detectedAt: now - 60_000,
        entry: { key: 'sv-1', listedOn: '2026-11-30', reason: '被列入经营异常名录届满3年仍未履行相关义务', authority: '深圳市市场监督管理局', removedOn: null, removalReason: null },
      }),
      sampleEvent(customerId, { id: 'evt-rep', type: 'registration.legal_representative_changed', tier: 'medium', detectedAt: now - 50_000, change: { field: 'legalRepresentative', before: '张三', after: '李四' } }),
    ];
    const recorded = await store.repos.checks.recordCheck({ ...withoutSnapshot(sampleCheck(customerId, events, now - 60_000)), caseIntake: intakeFor(events, now - 60_000) });
    caseId = recorded.caseId ?? '';
    for (const role of ['viewer', 'analyst', 'admin'] as const) tokens[role] = (await issueToken(`${role}-console`, role, { tokens: store.repos.tokens, clock: Date.now })).token;
    await store.close();

    redis = await startRedisServer();
    serve = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TZ: 'UTC', LOG_LEVEL: 'warn', CM_DB: dbPath, REDIS_URL: redis.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      serve.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /serving on (http:\/\/\S+)/.exec(out);
        if (found?.[1] !== undefined) resolve(found[1]);
      });
      serve.stderr?.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      serve.once('exit', (code) => { reject(new Error(`serve exited ${String(code)}: ${err}`)); });
    });
    chromium = await launchChromium();
    browser = chromium.browser;
  }, 60_000);

  afterAll(async () => {
    await chromium.close();
    if (serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await redis.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  async function signIn(role: keyof typeof tokens): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${url}/inbox`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', tokens[role]);
    await Promise.all([page.waitForURL(`${url}/inbox`), page.click('form[action^="/login"] button[type=submit]')]);
    return page;
  }

  it('an analyst signs in, acknowledges the fresh critical alert, reads the timeline, re-scans and resolves the case', { timeout: 60_000 }, async () => {
    const page = await signIn('analyst');
    const row = page.locator('#event-evt-serious');
    await expect.poll(() => row.textContent()).toMatch(/红|critical/);
    await shot(page, 'inbox');

    await row.locator('button[hx-post]').click();
    await expect.poll(() => page.locator('#event-evt-serious').textContent()).toMatch(/analyst-console/);

    await page.goto(`${url}/`);
    await shot(page, 'overview');

    await page.goto(`${url}/customers/${USCC}`);
    const timeline = await page.textContent('main');
    expect(timeline).toContain('张三');
    expect(timeline).toContain('李四');
    await shot(page, 'customer');
    await Promise.all([page.waitForURL(`${url}/customers/${USCC}`), page.click(`form[action="/customers/${USCC}/rescan"] button[type=submit]`)]);
    expect(await page.textContent('.notice')).toMatch(/重新检查|re-scan/);

    await page.goto(`${url}/cases/${caseId}`);
    await page.selectOption('#decision', 'restrict');
    await page.fill('#resolve-note', '改为款到发货，暂停赊销');
    await Promise.all([page.waitForURL(`${url}/cases/${caseId}`), page.click(`form[action="/cases/${caseId}/resolve"] button[type=submit]`)]);
    const resolved = await page.textContent('main');
    expect(resolved).toContain('改为款到发货，暂停赊销');
    expect(await page.locator(`form[action="/cases/${caseId}/resolve"]`).count()).toBe(0);
    await shot(page, 'case');
    await page.context().close();
  });

  it('an admin imports a CSV with a bad row and sees the row error; provider text stays text', { timeout: 60_000 }, async () => {
    const page = await signIn('admin');
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, `uscc,name,tags\n${validUscc(503)},新客户有限公司,华东\nnot-a-code,坏行\n`);
    await page.goto(`${url}/import`);
    await page.setInputFiles('#import-file', csv);
    await page.click('form[action="/import"] button[type=submit]');
    await expect.poll(() => page.textContent('main')).toMatch(/3/);
    const report = (await page.textContent('main')) ?? '';
    expect(report).toMatch(/rejected line 3/);
    await shot(page, 'import');

    await page.goto(`${url}/customers?search=${encodeURIComponent('坏名字')}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('main')).toContain('<img src=x onerror=alert(1)>');
    await page.goto(`${url}/settings`);
    await shot(page, 'settings');
    await page.context().close();
  });

  it('a viewer gets no analyst buttons, and a forged post is refused', { timeout: 60_000 }, async () => {
    const page = await signIn('viewer');
    expect(await page.locator('button[hx-post]').count()).toBe(0);
    expect(await page.locator('input[name=id]').count()).toBe(0);
    await page.goto(`${url}/cases/${caseId}`);
    expect(await page.locator('form[action$="/assign"]').count()).toBe(0);
    // The viewer's own session and CSRF token: the server refuses the role, not a stale form.
    const csrf = (JSON.parse((await page.getAttribute('body', 'hx-headers')) ?? '{}') as Record<string, string>)['x-csrf-token'] ?? '';
    const forged = (await page.request.post(`${url}/cases/${caseId}/assign`, { form: { _csrf: csrf, assignee: 'me' }, maxRedirects: 0 })).status();
    expect(forged).toBe(403);
    await page.goto(`${url}/import`);
    expect(await page.locator('#import-file').count()).toBe(0);
    await page.context().close();
  });

  it('serve answers the API over HTTP with a bearer token, its health routes, and exits 0 on SIGTERM', async () => {
    const events = await fetch(`${url}/api/events?tier=critical`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(events.status).toBe(200);
    expect(((await events.json()) as { events: Array<{ id: string; acknowledgedBy?: string }> }).events).toEqual([
      expect.objectContaining({ id: 'evt-serious', acknowledgedBy: 'analyst-console' }),
    ]);
    expect((await fetch(`${url}/api/events`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => { resolve(code); }));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
