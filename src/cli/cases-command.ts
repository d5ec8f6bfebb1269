import type { Command } from 'commander';
import { acknowledgeCase, assignCase, resolveCase, type CaseWorkflowDeps } from '../app/case-workflow.js';
import type { CaseTransition } from '../app/case-ports.js';
import { toCaseDetailView, toCaseView, type CaseView } from '../app/case-view.js';
import { CASE_DECISIONS, CASE_STATES, type CaseDecision, type CaseState } from '../domain/cases.js';
import { normaliseText } from '../domain/text.js';
import { TIER_LABELS_ZH } from '../domain/tiers.js';
import { AppError } from '../errors.js';
import { createCaseWorkflowDeps } from '../wiring/check-deps.js';
import type { CliContext } from './context.js';
import { positiveIntOption, usccOption } from './parse-options.js';

const DECISION_LABELS: Readonly<Record<CaseDecision, string>> = { continue: '继续合作', restrict: '限制交易', suspend: '暂停交易', terminate: '终止合作' };
const STATE_LABELS: Readonly<Record<CaseState, string>> = { open: '待确认', acknowledged: '处理中', resolved: '已结案' };

export function registerCasesCommand(program: Command, ctx: CliContext): void {
  const cases = program.command('cases').description('cases (案件): what an alert started, who handles it, by when, and the decision');
  const deps = async (): Promise<CaseWorkflowDeps> => createCaseWorkflowDeps(ctx.config(), await ctx.store(), () => ctx.clock());

  cases
    .command('list')
    .description('cases, newest first')
    .option('--state <state>', `only this state (${CASE_STATES.join(', ')})`)
    .option('--overdue', 'only cases past a deadline')
    .option('--uscc <code>', 'only this customer')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'one JSON document')
    .action(async (opts: { state?: string; overdue?: boolean; uscc?: string; limit: string; json?: boolean }) => {
      const now = ctx.clock();
      const records = await (await ctx.store()).repos.cases.list({
        ...(opts.state === undefined ? {} : { state: stateOption(opts.state) }),
        ...(opts.overdue ? { overdueAt: now } : {}),
        ...(opts.uscc === undefined ? {} : { uscc: usccOption(opts.uscc, true).uscc }),
        limit: positiveIntOption('--limit', opts.limit, 100_000),
      });
      const views = records.map((record) => toCaseView(record, now));
      if (opts.json) {
        ctx.out(JSON.stringify({ cases: views }));
        return;
      }
      for (const view of views) ctx.out(caseLine(view));
      ctx.out(`${views.length} case(s)`);
    });

  cases
    .command('show')
    .description('one case with its events, deliveries and audit trail')
    .argument('<id>', 'the case id (C-…, from "cases list")')
    .option('--json', 'one JSON document')
    .action(async (id: string, opts: { json?: boolean }) => {
      const detail = await (await ctx.store()).repos.cases.detail(id.trim());
      if (detail === undefined) throw new AppError('NOT_FOUND', `no case ${id.trim()} (see "credit-monitor cases list")`);
      const view = toCaseDetailView(detail, ctx.clock());
      if (opts.json) {
        ctx.out(JSON.stringify({ case: view }));
        return;
      }
      ctx.out(caseLine(view));
      ctx.out(`deadlines: acknowledge by ${deadlineText(view.deadlines.acknowledge)}, resolve by ${deadlineText(view.deadlines.resolve)}`);
      if (view.decision !== null) ctx.out(`decision: ${view.decision} ${DECISION_LABELS[view.decision]} by ${view.resolvedBy ?? '?'} at ${view.resolvedAt ?? '?'}: ${view.resolutionNote ?? ''}`);
      ctx.out('events:');
      for (const e of view.events) ctx.out(`  ${e.detectedAt}  ${e.tier.padEnd(8)} ${e.type}  id=${e.id}${e.acknowledgedAt === null ? '' : '  [acknowledged]'}`);
      ctx.out('deliveries:');
      for (const d of view.deliveries) ctx.out(`  ${d.eventId}  ${d.channel} ${d.target}  ${d.status} (${d.attempts} attempt(s))${d.lastError ? `  ${d.lastError}` : ''}`);
      ctx.out('audit:');
      for (const a of view.audit) ctx.out(`  ${a.at}  ${a.actor}  ${a.action}  ${JSON.stringify(a.details)}`);
    });

  cases
    .command('ack')
    .description('acknowledge a case (and its events): someone is on it')
    .argument('<id>', 'the case id')
    .requiredOption('--by <name>', 'who acknowledges it')
    .option('--note <text>', 'what is being done')
    .action(async (id: string, opts: { by: string; note?: string }) => {
      const by = nonEmpty('--by', opts.by);
      const note = opts.note === undefined ? null : normaliseText(opts.note) || null;
      report(ctx, await acknowledgeCase(await deps(), id, by, note, ctx.actor), `acknowledged by ${by}`);
    });

  cases
    .command('assign')
    .description('give a case to someone')
    .argument('<id>', 'the case id')
    .requiredOption('--to <name>', 'who handles it')
    .action(async (id: string, opts: { to: string }) => {
      const to = nonEmpty('--to', opts.to);
      report(ctx, await assignCase(await deps(), id, to, ctx.actor), `assigned to ${to}`);
    });

  cases
    .command('resolve')
    .description('close a case with a decision on trading with the customer')
    .argument('<id>', 'the case id')
    .requiredOption('--by <name>', 'who decided')
    .requiredOption('--decision <d>', CASE_DECISIONS.join(' | '))
    .requiredOption('--note <text>', 'why (kept as the record of the decision)')
    .action(async (id: string, opts: { by: string; decision: string; note: string }) => {
      const input = { by: nonEmpty('--by', opts.by), decision: decisionOption(opts.decision), note: nonEmpty('--note', opts.note), actor: ctx.actor };
      report(ctx, await resolveCase(await deps(), id, input), `resolved: ${input.decision} ${DECISION_LABELS[input.decision]}`);
    });
}

function report(ctx: CliContext, transition: CaseTransition, done: string): void {
  const id = transition.case.id;
  switch (transition.outcome) {
    case 'done':
      ctx.out(`${id}: ${done}`);
      return;
    case 'unchanged':
      ctx.out(`${id}: unchanged (${transition.case.state})`);
      return;
    case 'refused':
      throw new AppError('INPUT_REJECTED', `${id}: ${transition.reason}`);
  }
}

function caseLine(view: CaseView): string {
  const overdue = view.overdue.length === 0 ? '' : `  OVERDUE ${view.overdue.join(', ')}`;
  const due = view.dueAt === null ? '' : `  due ${view.state === 'open' ? view.deadlines.acknowledge.day : view.deadlines.resolve.day}${(view.state === 'open' ? view.deadlines.acknowledge : view.deadlines.resolve).provisional ? ' (provisional)' : ''}`;
  const decision = view.decision === null ? '' : `  ${view.decision}`;
  return `${view.id}  ${view.state.padEnd(12)} ${STATE_LABELS[view.state]}  ${view.tier.padEnd(8)} ${TIER_LABELS_ZH[view.tier]}  ${view.customer.uscc} ${view.customer.name}  opened ${view.openedAt}${due}${overdue}${decision}  assignee ${view.assignee ?? '-'}`;
}

function deadlineText(d: { day: string; provisional: boolean; overdueRaisedAt?: string }): string {
  return `${d.day}${d.provisional ? ' (provisional: calendar data missing)' : ''}${d.overdueRaisedAt === undefined ? '' : ` [overdue raised ${d.overdueRaisedAt}]`}`;
}

function nonEmpty(name: string, value: string): string {
  const text = normaliseText(value);
  if (!text) throw new AppError('USAGE', `${name} must not be empty`);
  return text;
}

function stateOption(value: string): CaseState {
  if (!(CASE_STATES as readonly string[]).includes(value)) throw new AppError('USAGE', `--state ${JSON.stringify(value)}: expected one of ${CASE_STATES.join(', ')}`);
  return value as CaseState;
}

function decisionOption(value: string): CaseDecision {
  if (!(CASE_DECISIONS as readonly string[]).includes(value)) throw new AppError('USAGE', `--decision ${JSON.stringify(value)}: expected one of ${CASE_DECISIONS.join(', ')}`);
  return value as CaseDecision;
}
