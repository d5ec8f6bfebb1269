/** Builders shared by the provider conformance cases. */
import type { ProviderErrorKind } from '../../../../src/domain/sections.js';
import type { GateOutcome, RequestGate } from '../../../../src/providers/gated-http-client.js';
import type { RigCompany, RigEntry, RigFailure } from './provider-rig.js';

/** Every list section; the rigs' providers fetch the optional ones too. */
export const LIST_SECTIONS = ['abnormalOperations', 'seriousViolations', 'administrativePenalties', 'dishonestDebtors'] as const;

/** `count` entries listed on distinct days, their reasons numbered (and padded, to make pages heavy). */
export function entries(count: number, padding = ''): RigEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    listedOn: `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-15`,
    reason: `未按照规定报送年度报告${padding} ${i + 1}`,
    authority: '北京市海淀区市场监督管理局',
  }));
}

export function company(uscc: string, lists: Partial<Pick<RigCompany, 'abnormalOperations' | 'seriousViolations'>>): RigCompany {
  return { uscc, name: '示例科技有限公司', abnormalOperations: [], seriousViolations: [], ...lists };
}

/** What each failure class must be reported as, whatever the provider. */
export const EXPECTED_KINDS: Record<RigFailure, { kind: ProviderErrorKind; retryAfterMs: number | undefined }> = {
  auth: { kind: 'auth', retryAfterMs: undefined },
  quota: { kind: 'quota', retryAfterMs: undefined },
  rate_limited: { kind: 'rate_limited', retryAfterMs: undefined },
  rate_limited_for_7s: { kind: 'rate_limited', retryAfterMs: 7000 },
  transient: { kind: 'transient', retryAfterMs: undefined },
  bad_schema: { kind: 'invalid_response', retryAfterMs: undefined },
  malformed: { kind: 'invalid_response', retryAfterMs: undefined },
  oversize: { kind: 'invalid_response', retryAfterMs: undefined },
};

/** A gate that admits every call and records the section it was for and how it ended. */
export function recordingGate() {
  const sections: Array<string | undefined> = [];
  const outcomes: GateOutcome[] = [];
  const gate: RequestGate<number> = {
    acquire: (_signal, call) => {
      sections.push(call?.section);
      return Promise.resolve({ admitted: true, ticket: 0 });
    },
    settle: (_ticket, outcome) => {
      outcomes.push(outcome);
      return Promise.resolve();
    },
  };
  return { gate, sections, outcomes };
}
