/**
 * The `cases` commands as an operator runs them (the built CLI, a real `check` against the mock
 * provider): a listing opens a case; `cases list|show --json`; `alerts ack` on the listing
 * acknowledges its case; assign; resolve with a decision; the errors (unknown id, bad decision,
 * resolving twice) with their exit codes; `events`, `customers show` and `status` show the case.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetailView, CaseView } from '../../src/app/case-view.js';
import { startMockProviderServer, type MockProviderServer } from '../../src/providers/mock/server.js';
import { testCompany, testEntries, testState } from '../helpers/mock-provider-fixtures.js';
import { cliSandbox, type CliSandbox } from '../helpers/run-cli.js';

const LISTED = testCompany(1311, { abnormalOperations: testEntries(1, 'AO1311') });
const CLEAN = testCompany(1312);

describe('cases CLI', () => {
  let server: MockProviderServer;
  let cli: CliSandbox;
  let env: Record<string, string>;

  // One store for the file (each CLI run is a process): the read-only tests first, the one that
  // acknowledges and resolves the case last.
  beforeAll(async () => {
    server = await startMockProviderServer({ state: testState(LISTED, CLEAN) });
    cli = cliSandbox();
    env = { CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url };
    const csv = join(cli.dir, 'customers.csv');
    writeFileSync(csv, `uscc,name\n${LISTED.uscc},${LISTED.name}\n${CLEAN.uscc},${CLEAN.name}\n`);
    expect((await cli.run(['customers', 'import', csv])).code).toBe(0);
    for (const c of [LISTED, CLEAN]) {
      const checked = await cli.run(['check', '--uscc', c.uscc], env);
      expect(checked.code, checked.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    cli.cleanup();
    await server.close();
  });

  const json = async <T>(args: string[]): Promise<T> => {
    const result = await cli.run([...args, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  const listed = async (): Promise<CaseView[]> => (await json<{ cases: CaseView[] }>(['cases', 'list'])).cases;

  it('a baseline listing opens one case; list and show tell its state, deadlines and events', async () => {
    const [kase, ...others] = await listed();
    expect(others).toEqual([]);
    expect(kase).toMatchObject({ state: 'open', tier: 'high', customer: { uscc: LISTED.uscc, name: LISTED.name }, assignee: null, decision: null, overdue: [] });
    expect(kase?.id).toMatch(/^C-[0-9a-f]{16}$/);
    expect(kase!.deadlines.acknowledge.day < kase!.deadlines.resolve.day).toBe(true);

    const { case: detail } = await json<{ case: CaseDetailView }>(['cases', 'show', kase!.id]);
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['abnormal_operations.listed', 'case.opened']));
    expect(detail.audit.map((a) => a.action)).toEqual(['case.opened']);

    const text = await cli.run(['cases', 'list'], env);
    expect(text.stdout).toContain(`${kase!.id}  open`);
    expect(text.stdout).toContain('1 case(s)');
    expect((await json<{ cases: CaseView[] }>(['cases', 'list', '--state', 'resolved'])).cases).toEqual([]);
    expect((await json<{ cases: CaseView[] }>(['cases', 'list', '--overdue'])).cases).toEqual([]);
  });

  it('refuses what it cannot do with one line: an unknown case (1), a bad decision or an empty name (2)', async () => {
    const [kase] = await listed();
    const unknown = await cli.run(['cases', 'show', 'C-0000000000000000'], env);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, expect.stringContaining('no case C-0000000000000000')]);
    const bad = await cli.run(['cases', 'resolve', kase!.id, '--by', 'x', '--decision', 'maybe', '--note', 'n'], env);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringContaining('--decision "maybe": expected one of continue, restrict, suspend, terminate')]);
    const empty = await cli.run(['cases', 'assign', kase!.id, '--to', '  '], env);
    expect([empty.code, empty.stderr.trim()]).toEqual([2, expect.stringContaining('--to must not be empty')]);
    const state = await cli.run(['cases', 'list', '--state', 'closed'], env);
    expect(state.code).toBe(2);
  });

  it('customers show and status tell the open case; status warns when deadlines may run past the calendar data', async () => {
    const [kase] = await listed();
    const view = await json<{ openCase: CaseView | null }>(['customers', 'show', '--uscc', LISTED.uscc]);
    expect(view.openCase?.id).toBe(kase?.id);
    expect((await json<{ openCase: CaseView | null }>(['customers', 'show', '--uscc', CLEAN.uscc])).openCase).toBeNull();

    const status = await json<{ cases: { open: number; acknowledged: number; overdue: number }; calendar: { lastCoveredYear: number; warning: string | null } }>(['status']);
    expect(status.cases).toEqual({ open: 1, acknowledged: 0, overdue: 0 });
    expect(status.calendar.lastCoveredYear).toBeGreaterThanOrEqual(2026);
  });

  it('alerts ack on the listing acknowledges its case; assign; resolve with a decision, once', async () => {
    const [kase] = await listed();
    const events = (await json<{ events: Array<{ id: string; type: string; caseId?: string }> }>(['events', '--uscc', LISTED.uscc])).events;
    const listing = events.find((e) => e.type === 'abnormal_operations.listed');
    expect(listing?.caseId).toBe(kase?.id);

    const ack = await cli.run(['alerts', 'ack', listing!.id, '--by', '王敏', '--note', '已电话核实'], env);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toContain(`case ${kase!.id}: acknowledged by 王敏`);
    expect((await cli.run(['cases', 'ack', kase!.id, '--by', '王敏'], env)).stdout).toContain('unchanged (acknowledged)');

    expect((await cli.run(['cases', 'assign', kase!.id, '--to', '李强'], env)).code).toBe(0);
    const resolved = await cli.run(['cases', 'resolve', kase!.id, '--by', '李强', '--decision', 'restrict', '--note', '改为款到发货'], env);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('resolved: restrict');

    const again = await cli.run(['cases', 'resolve', kase!.id, '--by', '李强', '--decision', 'terminate', '--note', 'x'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);

    const { case: detail } = await json<{ case: CaseDetailView }>(['cases', 'show', kase!.id]);
    expect(detail).toMatchObject({ state: 'resolved', decision: 'restrict', resolvedBy: '李强', resolutionNote: '改为款到发货', assignee: '李强', acknowledgedBy: '王敏' });
    expect(detail.audit.map((a) => a.action)).toEqual(['case.opened', 'case.acknowledged', 'case.assigned', 'case.resolved']);
    expect(detail.events.map((e) => e.type)).toContain('case.resolved');
  });
});
