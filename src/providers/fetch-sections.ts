import { runWithCheckBytes } from './check-byte-budget.js';
import type { OptionalSectionName, OptionalSections, RawListEntry, RawSections, SectionResult } from '../domain/sections.js';

export interface SectionFetchers {
  registration(): Promise<RawSections['registration']>;
  list(section: 'abnormalOperations' | 'seriousViolations'): Promise<SectionResult<RawListEntry[]>>;
  optional(section: OptionalSectionName): Promise<SectionResult<RawListEntry[]>>;
}

/**
 * Every adapter's `fetchSections`: the core sections and the configured optional ones, concurrently;
 * a section that is off is left out (not fetched, not billed), and a failed one never fails the others.
 * The sections share one byte budget (see check-byte-budget.ts): the section whose answer crosses it
 * fails as a whole, like any other failed section.
 */
export function fetchSectionsConcurrently(fetchers: SectionFetchers, sections: OptionalSections): Promise<RawSections> {
  return runWithCheckBytes(() => fetchAll(fetchers, sections));
}

async function fetchAll(fetchers: SectionFetchers, sections: OptionalSections): Promise<RawSections> {
  const optional = (section: OptionalSectionName): Promise<SectionResult<RawListEntry[]> | undefined> =>
    sections[section] ? fetchers.optional(section) : Promise.resolve(undefined);
  const [registration, abnormalOperations, seriousViolations, administrativePenalties, dishonestDebtors] = await Promise.all([
    fetchers.registration(),
    fetchers.list('abnormalOperations'),
    fetchers.list('seriousViolations'),
    optional('administrativePenalties'),
    optional('dishonestDebtors'),
  ]);
  return {
    registration,
    abnormalOperations,
    seriousViolations,
    ...(administrativePenalties === undefined ? {} : { administrativePenalties }),
    ...(dishonestDebtors === undefined ? {} : { dishonestDebtors }),
  };
}
