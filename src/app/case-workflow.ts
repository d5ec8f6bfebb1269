/**
 * The case workflow's use cases, shared by the CLI and (later) the API: acknowledge, assign,
 * resolve, and the pass that raises `case.overdue` once per missed deadline.
 */
import { CASE_DEADLINES, type CaseDecision, type CaseRecord } from '../domain/cases.js';
import { AppError } from '../errors.js';
import { overdueEvent, resolvedEvent, type CaseEventDeps } from './case-events.js';
import type { CaseTransition, CasesRepository } from './case-ports.js';

export interface CaseWorkflowDeps extends CaseEventDeps {
  cases: CasesRepository;
  /** The customer's tags now, for routing a case event (undefined: removed, routes untagged). */
  tagsOf(uscc: string): Promise<readonly string[] | undefined>;
  clock: () => number;
}

/** Overdue cases handled per pass and deadline; the next pass takes the rest. */
const OVERDUE_PAGE = 200;

/** Raises `case.overdue` for every deadline missed by now; safe with several workers (the store's compare-and-set). */
export async function raiseOverdueCases(deps: CaseWorkflowDeps): Promise<{ raised: number }> {
  const now = deps.clock();
  let raised = 0;
  for (const kind of CASE_DEADLINES) {
    for (const record of await deps.cases.overdueToRaise(now, kind, OVERDUE_PAGE)) {
      const detail = await deps.cases.detail(record.id);
      const eventIds = (detail?.events ?? []).filter((e) => !e.type.startsWith('case.')).map((e) => e.id);
      const write = overdueEvent(deps, record, kind, eventIds, (await deps.tagsOf(record.uscc)) ?? [], now);
      if (await deps.cases.raiseOverdue(record.id, kind, now, write)) raised += 1;
    }
  }
  return { raised };
}

export async function acknowledgeCase(deps: CaseWorkflowDeps, id: string, by: string, note: string | null, actor: string): Promise<CaseTransition> {
  return deps.cases.acknowledge((await existing(deps, id)).id, by, note, deps.clock(), actor);
}

export async function assignCase(deps: CaseWorkflowDeps, id: string, to: string, actor: string): Promise<CaseTransition> {
  return deps.cases.assign((await existing(deps, id)).id, to, deps.clock(), actor);
}

export async function resolveCase(
  deps: CaseWorkflowDeps,
  id: string,
  input: { by: string; decision: CaseDecision; note: string; actor: string },
): Promise<CaseTransition> {
  const record = await existing(deps, id);
  const at = deps.clock();
  const tags = (await deps.tagsOf(record.uscc)) ?? [];
  return deps.cases.resolve(record.id, { ...input, at }, (current, eventIds) => resolvedEvent(deps, current, eventIds, tags, at));
}

async function existing(deps: CaseWorkflowDeps, id: string): Promise<CaseRecord> {
  const trimmed = id.trim();
  const record = await deps.cases.get(trimmed);
  if (record === undefined) throw new AppError('NOT_FOUND', `no case ${trimmed} (see "credit-monitor cases list")`);
  return record;
}
