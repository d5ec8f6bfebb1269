import type { SectionName } from '../../domain/sections.js';

/** The mock API's path segment for each section: `GET /v1/companies/{uscc}/{segment}`. */
export const SECTION_PATHS = {
  registration: 'registration',
  abnormalOperations: 'abnormal-operations',
  seriousViolations: 'serious-violations',
  administrativePenalties: 'administrative-penalties',
  dishonestDebtors: 'dishonest-debtors',
  annualReports: 'annual-reports',
} as const satisfies Record<SectionName, string>;

/** The sections of list entries (the annual reports are a list of their own, see state.ts). */
export type MockListName = Exclude<SectionName, 'registration' | 'annualReports'>;
export const MOCK_LISTS: readonly MockListName[] = ['abnormalOperations', 'seriousViolations', 'administrativePenalties', 'dishonestDebtors'];

/** Section for a path segment; accepts the camelCase section name as well, for the control API. */
export function sectionFromPath(segment: string): SectionName | undefined {
  for (const [section, path] of Object.entries(SECTION_PATHS) as [SectionName, string][]) {
    if (segment === path || segment === section) return section;
  }
  return undefined;
}

/** Business codes in the mock's `{ code, message, data }` envelope, modelled on real providers. */
export const MOCK_CODES = {
  ok: 0,
  noData: 204,
  badRequest: 400,
  unauthorised: 401,
  quotaExhausted: 402,
  notFound: 404,
  rateLimited: 429,
  unavailable: 503,
} as const;

/** Largest `pageSize` the mock serves; the adapter asks for 20. */
export const MOCK_MAX_PAGE_SIZE = 50;
