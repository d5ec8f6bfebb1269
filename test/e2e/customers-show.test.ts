/**
 * `customers show --uscc CODE [--json]` (the built CLI, after a real `check` against the mock
 * provider): registration, list entries in force and removed, the grade with its rule and the rules
 * skipped, the strategy, no open case, recent events; zh-CN by default and English with
 * `"language": "en"`; provider text shown terminal-safe; an unknown code exits 1 with one line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerView } from '../../src/cli/customer-view.js';
import { startMockProviderServer, type MockProviderServer } from '../../src/providers/mock/server.js';
import { testCompany, testEntries, testState } from '../helpers/mock-provider-fixtures.js';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';

// eslint-disable-next-line no-control-regex -- the point of the check
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
const REMOVED = { ...testEntries(1, 'OLD')[0]!, listedOn: '2023-03-01', removedOn: '2023-09-01', removalReason: '已补报年度报告' };
const LISTED = testCompany(301, {
  abnormalOperations: [{ ...testEntries(1, 'AO')[0]!, reason: '未按规定\u202E报送年度报告' }, REMOVED],
});
const CLEAN = testCompany(302);

describe('customers show', () => {
  let server: MockProviderServer;
  let cli: CliSandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startMockProviderServer({ state: testState(LISTED, CLEAN) });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    cli = cliSandbox();
    env = { CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url };
    for (const c of [LISTED, CLEAN]) {
      expect((await cli.run(['customers', 'add', '--uscc', c.uscc, '--name', c.name, '--tag', 'vip'])).code).toBe(0);
      const checked = await cli.run(['check', '--uscc', c.uscc], env);
      expect(checked.code, checked.stderr).toBe(0);
    }
  });
  afterEach(() => {
    cli.cleanup();
  });

  const showJson = async (uscc: string, extra: Record<string, string> = {}): Promise<CustomerView> => {
    const result = await cli.run(['customers', 'show', '--uscc', uscc, '--json'], { ...env, ...extra });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd()).not.toContain('\n');
    return JSON.parse(result.stdout) as CustomerView;
  };

  it('--json: one customer whole', async () => {
    const view = await showJson(LISTED.uscc);
    expect(Object.keys(view).sort()).toEqual(['customer', 'grade', 'lists', 'openCase', 'recentEvents', 'registration', 'snapshotAt', 'strategy']);
    expect(view.customer).toMatchObject({ uscc: LISTED.uscc, name: LISTED.name, tags: ['vip'], grade: 'risk', gradeRule: 'abnormal-operations-in-force' });
    expect(view.registration).toMatchObject({ name: LISTED.name, status: 'active', legalRepresentative: '张三', registeredCapital: { amount: 10_000_000, currency: 'CNY' } });
    expect(view.lists.abnormalOperations?.inForce.map((e) => e.reason)).toEqual(['未按规定\u202E报送年度报告']);
    expect(view.lists.abnormalOperations?.removed).toEqual([
      { key: expect.any(String) as string, listedOn: '2023-03-01', reason: REMOVED.reason, authority: REMOVED.authority, removedOn: '2023-09-01', removalReason: '已补报年度报告' },
    ]);
    expect(view.lists.seriousViolations).toEqual({ inForce: [], removed: [] });
    expect(view.grade).toMatchObject({ grade: 'risk', label: '风险', rule: 'abnormal-operations-in-force', text: '风险（规则 abnormal-operations-in-force）', skipped: [] });
    expect(view.grade.now).toBeUndefined();
    expect(view.strategy).toEqual({ paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' });
    // The listing opened a case (cases.openAt medium): open, due to be acknowledged first.
    expect(view.openCase).toMatchObject({ state: 'open', tier: 'high', customer: { uscc: LISTED.uscc }, assignee: null, overdue: [] });
    expect(view.openCase?.id).toMatch(/^C-[0-9a-f]{16}$/);
    expect(view.recentEvents.map((e) => e.type)).toContain('abnormal_operations.listed');
    expect(view.recentEvents.map((e) => e.type)).toContain('grade.changed');
    for (const e of view.recentEvents) expect(e.customer.uscc).toBe(LISTED.uscc);
  });

  it('--json: the rules skipped on the way, and what the rules give now when the stored grade is behind', async () => {
    const view = await showJson(CLEAN.uscc);
    expect(view.grade).toMatchObject({ grade: 'fair', rule: 'no-figures' });
    expect(view.grade.skipped.map((s) => s.rule)).toEqual(['dishonest-debtor-in-force', 'dishonest-debtor-removed-recently']);
    expect(view.grade.skipped[0]).toEqual({
      rule: 'dishonest-debtor-in-force',
      grade: 'risk',
      sections: [{ section: 'dishonestDebtors', reason: 'section_off' }],
      text: '跳过规则 dishonest-debtor-in-force（风险）：无法判断失信被执行人（provider.sections 未开启）',
    });
    expect(view.recentEvents).toEqual([]);

    const db = new Database(cli.dbPath);
    try {
      db.prepare("update customers set grade = 'good', grade_rule = 'good' where uscc = ?").run(CLEAN.uscc);
    } finally {
      db.close();
    }
    const behind = await showJson(CLEAN.uscc);
    expect(behind.grade).toMatchObject({ grade: 'good', rule: 'good', now: { grade: 'fair', rule: 'no-figures', text: '一般（规则 no-figures）' } });
    expect(behind.strategy).toMatchObject({ settlement: 'credit', paymentTermDays: 30 });
  });

  it('text: zh-CN by default, provider text terminal-safe', async () => {
    const result = await cli.run(['customers', 'show', '--uscc', LISTED.uscc], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(UNSAFE);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`客户：${LISTED.uscc} ${LISTED.name}（标签：vip）`);
    expect(lines).toContain('  登记状态：存续（存续(在营、开业、在册)）');
    expect(lines).toContain('经营异常名录：在列 1 条，已移出 1 条');
    expect(lines).toContain('  [在列] 2025-01-15 未按规定\\u202E报送年度报告（北京市海淀区市场监督管理局）');
    expect(lines).toContain('  [已移出] 2023-03-01 通过登记的住所或者经营场所无法联系的（北京市海淀区市场监督管理局），移出 2023-09-01 已补报年度报告');
    expect(lines).toContain('严重违法失信名单：无记录');
    expect(lines.find((l) => l.startsWith('信用等级：'))).toMatch(/^信用等级：风险（规则 abnormal-operations-in-force），评定于 \d{4}-/);
    expect(lines).toContain('交易策略：付款账期 无，结算方式 预付款，保证金比例 100%，新订单 暂停接单');
    expect(lines.find((l) => l.startsWith('处置案件：'))).toMatch(/^处置案件：C-[0-9a-f]{16} 待确认 high，确认期限 \d{4}-\d{2}-\d{2}(（暂定）)?，处理人 -$/);
    const events = lines.findIndex((l) => /^最近事件（\d+）：$/.test(l));
    expect(events).toBeGreaterThan(0);
    expect(lines.slice(events + 1).some((l) => l.includes('abnormal_operations.listed'))).toBe(true);
  });

  it('text: English with "language": "en"', async () => {
    const configPath = join(cli.dir, 'en.json');
    writeFileSync(configPath, JSON.stringify({ language: 'en' }));
    const result = await cli.run(['customers', 'show', '--uscc', CLEAN.uscc], { ...env, CM_CONFIG: configPath });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Customer: ${CLEAN.uscc} ${CLEAN.name} (tags: vip)`);
    expect(lines).toContain('  Status: active (存续(在营、开业、在册))');
    expect(lines).toContain('the abnormal operations list: no entries');
    expect(lines.find((l) => l.startsWith('Credit grade: '))).toMatch(/^Credit grade: fair \(rule no-figures\), graded at /);
    expect(lines).toContain('  skipped rule dishonest-debtor-in-force (risk): cannot tell dishonest judgment debtors (switched off in provider.sections)');
    expect(lines).toContain('Strategy: Payment term none, Settlement cash on delivery, Deposit 20%, New orders review required');
    expect(lines).toContain('Open case: none');
    expect(lines.slice(-2)).toEqual(['Recent events (0):', '  (none)']);
  });

  it('errors: an unknown code exits 1, a malformed one 2, each with one line', async () => {
    const unknown = await cli.run(['customers', 'show', '--uscc', testCompany(399).uscc]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trimEnd()).toBe(`credit-monitor: --uscc ${testCompany(399).uscc}: no such customer`);
    const malformed = await cli.run(['customers', 'show', '--uscc', 'nope', '--json']);
    expect(malformed.code).toBe(2);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await cli.run(['customers', 'show'])).code).toBe(2);
  });
});
