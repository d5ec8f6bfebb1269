/**
 * The mock API's sections, one row each (docs/mock-provider.md): `GET /v1/companies/{uscc}/{path}`,
 * lists paged by `page` and `pageSize`, entries with a stable `id`.
 */
import type { RawRegistration, SectionResult } from '../../domain/sections.js';
import { readWithSchema } from '../read-with-schema.js';
import type { AnnualReportsSpec, EnvelopeData, ListSpec, PagedEntry, SectionTable } from '../section-table.js';
import { annualReportsPageSchema, listPageSchema, registrationDataSchema, type ListEntryData } from './wire-schema.js';
import { SECTION_PATHS } from './wire-paths.js';

const paged = (_uscc: string, page: number, pageSize: number): Record<string, string> => ({ page: String(page), pageSize: String(pageSize) });
const list = (path: string): ListSpec => ({ path, query: paged, readPage });

export const MOCK_SECTIONS: SectionTable = {
  // 404 is "no such company" (an error code of its own); 204 on registration stays `no_data`, a failed read.
  registration: { path: SECTION_PATHS.registration, query: () => ({}), noData: 'no_data', read: readRegistrationData },
  abnormalOperations: list(SECTION_PATHS.abnormalOperations),
  seriousViolations: list(SECTION_PATHS.seriousViolations),
  administrativePenalties: list(SECTION_PATHS.administrativePenalties),
  dishonestDebtors: list(SECTION_PATHS.dishonestDebtors),
  annualReports: { path: SECTION_PATHS.annualReports, query: paged, readPage: readAnnualReportsPage },
};

function readAnnualReportsPage(envelope: EnvelopeData, what: string): ReturnType<AnnualReportsSpec['readPage']> {
  const read = readWithSchema(annualReportsPageSchema, envelope.result, what, 'data');
  if (!read.ok) return read;
  return { ok: true, page: { total: read.value.total, items: read.value.items } };
}

function readRegistrationData(envelope: EnvelopeData, what: string): SectionResult<RawRegistration> {
  const read = readWithSchema(registrationDataSchema, envelope.result, what, 'data');
  if (!read.ok) return read;
  const data = read.value;
  return {
    ok: true,
    value: {
      creditCode: data.creditCode,
      name: data.name,
      statusText: data.status,
      legalRepresentative: data.legalPerson,
      registeredCapitalText: data.regCapital,
      address: data.address,
      businessScope: data.scope,
      establishedOn: data.establishedOn,
    },
  };
}

function readPage(envelope: EnvelopeData, what: string): ReturnType<ListSpec['readPage']> {
  const read = readWithSchema(listPageSchema, envelope.result, what, 'data');
  if (!read.ok) return read;
  return { ok: true, page: { total: read.value.total, items: read.value.items.map(toPagedEntry) } };
}

function toPagedEntry(entry: ListEntryData): PagedEntry {
  return {
    entry: {
      recordId: entry.id,
      listedOn: entry.listedOn,
      reason: entry.reason,
      authority: entry.authority,
      removedOn: entry.removedOn,
      removalReason: entry.removalReason,
    },
    pagingKey: entry.id,
  };
}
