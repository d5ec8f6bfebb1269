import type { SectionName } from '../../domain/sections.js';
import type { MockStateStore } from './mock-state-store.js';
import type { MockAnnualReport, MockCompany, MockListEntry } from './state.js';
import { MOCK_CODES, MOCK_MAX_PAGE_SIZE } from './wire-paths.js';

/** An answer of the mock's wire format, before it is written. */
export interface MockAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const NOT_FOUND_BODY = { code: MOCK_CODES.notFound, message: '查无此企业' } as const;
export const NO_DATA_BODY = { code: MOCK_CODES.noData, message: '无数据' } as const;

export function registrationBody(company: MockCompany): unknown {
  return {
    code: MOCK_CODES.ok,
    data: {
      creditCode: company.uscc,
      name: company.name,
      status: company.status,
      legalPerson: company.legalPerson,
      regCapital: company.regCapital,
      address: company.address,
      scope: company.scope,
      establishedOn: company.establishedOn,
    },
  };
}

function wireEntry(entry: MockListEntry): unknown {
  const { id, listedOn, reason, authority, removedOn, removalReason } = entry;
  return { id, listedOn, reason, authority, removedOn, removalReason };
}

/** The answer the mock gives when no fault applies. */
export function normalAnswer(store: MockStateStore, uscc: string, section: SectionName, query: URLSearchParams): MockAnswer {
  const company = store.company(uscc);
  if (section === 'registration') {
    return { status: 200, body: company === undefined ? NOT_FOUND_BODY : registrationBody(company) };
  }
  if (section === 'annualReports') return pagedAnswer(company?.annualReports ?? [], query, wireAnnualReport);
  // Like real providers, an unknown company's lists are simply empty: only registration says "no such company".
  return pagedAnswer(company?.[section] ?? [], query, wireEntry);
}

function wireAnnualReport(report: MockAnnualReport): unknown {
  return { year: report.year, publishedOn: report.publishedOn };
}

function pagedAnswer<T>(entries: readonly T[], query: URLSearchParams, wire: (entry: T) => unknown): MockAnswer {
  const page = positiveInt(query.get('page'), 1);
  const pageSize = positiveInt(query.get('pageSize'), 20);
  if (page === undefined || pageSize === undefined || pageSize > MOCK_MAX_PAGE_SIZE) {
    const field = page === undefined ? 'page' : 'pageSize';
    return { status: 400, body: { code: MOCK_CODES.badRequest, message: `参数错误: ${field}` } };
  }
  if (entries.length === 0) return { status: 200, body: NO_DATA_BODY };
  const items = entries.slice((page - 1) * pageSize, page * pageSize).map(wire);
  return { status: 200, body: { code: MOCK_CODES.ok, data: { total: entries.length, items } } };
}

function positiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
}
