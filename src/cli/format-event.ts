import { TIER_LABELS_ZH } from '../domain/tiers.js';
import type { EventView } from '../store/events-repository.js';
import { terminalSafe } from './terminal-text.js';

/** One human-readable line per event for the terminal; data cannot break or forge the line (see terminalSafe). */
export function formatEventLine(e: EventView): string {
  const what = e.entry
    ? `${e.entry.listedOn ?? '?'} ${e.entry.reason}${e.entry.authority ? ` (${e.entry.authority})` : ''}`
    : e.change
      ? `${e.change.field}: ${e.change.before ?? '-'} → ${e.change.after ?? '-'}`
      : e.annualReport
        ? `${e.annualReport.year}年度报告未公示 (${e.annualReport.year} annual report not published)`
        : '';
  const dead = (e.deadDeliveries ?? []).map((d) => `dead: ${d.channel} ${d.target}`);
  const flags = [e.baseline ? 'baseline' : '', e.evidence === 'missing' ? 'missing' : '', e.acknowledgedBy ? `ack by ${e.acknowledgedBy}` : '', e.caseId ? `case ${e.caseId}` : '', ...dead]
    .filter(Boolean)
    .join(', ');
  return terminalSafe(`${e.detectedAt}  ${e.tier.padEnd(8)} ${TIER_LABELS_ZH[e.tier]}  ${e.customer.uscc} ${e.customer.name}  ${e.type}  ${what}${flags ? `  [${flags}]` : ''}  id=${e.id}`);
}
