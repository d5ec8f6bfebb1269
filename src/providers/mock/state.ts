import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { parseUscc } from '../../domain/uscc.js';
import { MOCK_LISTS, type MockListName } from './wire-paths.js';

/**
 * A date as the mock stores and serves it: "YYYY-MM-DD" (or another common written form such as
 * "2026-11-20 00:00:00" or "2026年11月20日"), epoch ms of a Beijing midnight, or absent (null, "",
 * "-"), the same variety real providers send.
 */
export const mockDateSchema = z.union([
  z.string().regex(/^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)/, 'expected a date like 2026-11-20'),
  z.literal(''),
  z.literal('-'),
  z.int().nonnegative(),
  z.null(),
], { error: 'expected a date "YYYY-MM-DD", epoch ms or null' });

const text = z.string().min(1);
const nullableText = z.string().nullable();

/** The fields of an entry as a PATCH may change them: no defaults, so absent means unchanged. */
export const mockEntryPatchSchema = z
  .strictObject({
    listedOn: mockDateSchema,
    reason: text,
    authority: nullableText,
    removedOn: mockDateSchema,
    removalReason: nullableText,
  })
  .partial();

export const mockListEntrySchema = z.strictObject({
  /** Stable record id; assigned ("AO-…-1", "SV-…-1", "AP-…-1", "DD-…-1") from the position when the file omits it. */
  id: text.optional(),
  listedOn: mockDateSchema,
  reason: text,
  authority: nullableText.default(null),
  removedOn: mockDateSchema.default(null),
  removalReason: nullableText.default(null),
});

/** A published annual report (年度报告): the year reported on and the publication date. */
export const mockAnnualReportSchema = z.strictObject({
  year: z.int().min(1990).max(2199),
  publishedOn: mockDateSchema.default(null),
});

/** A company's published reports, one per year, in the order they are served. */
export const mockAnnualReportsSchema = z.array(mockAnnualReportSchema).superRefine((reports, ctx) => {
  const years = new Set<number>();
  reports.forEach((report, index) => {
    if (years.has(report.year)) ctx.addIssue({ code: 'custom', path: [index, 'year'], message: `duplicate ${report.year}` });
    years.add(report.year);
  });
});

/** A code may fail only its check digit: a few genuine 2015–16 pilot codes do. */
export const mockUsccSchema = z.string().refine(
  (code) => {
    const parsed = parseUscc(code);
    return (parsed.ok || parsed.fault === 'check_digit') && parsed.uscc === code;
  },
  { error: 'not a unified social credit code (18 upper-case characters)' },
);

/** The registration fields a PATCH may change: no defaults, so absent means unchanged. */
export const mockCompanyPatchSchema = z
  .strictObject({
    name: text,
    /** Free text, e.g. "存续（在营、开业、在册）", "吊销，未注销". */
    status: text,
    legalPerson: nullableText,
    /** Free text, e.g. "1000万人民币", "500万美元". */
    regCapital: nullableText,
    address: nullableText,
    scope: nullableText,
    establishedOn: mockDateSchema,
    /** Replaces the published annual reports as a whole. */
    annualReports: mockAnnualReportsSchema,
  })
  .partial();

export const mockCompanySchema = z.strictObject({
  uscc: mockUsccSchema,
  name: text,
  status: text,
  legalPerson: nullableText.default(null),
  regCapital: nullableText.default(null),
  address: nullableText.default(null),
  scope: nullableText.default(null),
  establishedOn: mockDateSchema.default(null),
  abnormalOperations: z.array(mockListEntrySchema).default([]),
  seriousViolations: z.array(mockListEntrySchema).default([]),
  /**
   * 行政处罚 (optional section): `id` stands for the decision number, `listedOn` the decision date,
   * `reason` the violation and penalty, `authority` the deciding body.
   */
  administrativePenalties: z.array(mockListEntrySchema).optional(),
  /** 失信被执行人 (optional section): `id` stands for the case number, `authority` the court. */
  dishonestDebtors: z.array(mockListEntrySchema).optional(),
  /** 年度报告 (optional section): the reports published; absent or empty, none. */
  annualReports: mockAnnualReportsSchema.optional(),
});

export const mockStateSchema = z
  .strictObject({ description: z.string().optional(), companies: z.array(mockCompanySchema) })
  .superRefine((state, ctx) => {
    const seen = new Set<string>();
    state.companies.forEach((company, index) => {
      if (seen.has(company.uscc)) {
        ctx.addIssue({ code: 'custom', path: ['companies', index, 'uscc'], message: `duplicate ${company.uscc}` });
      }
      seen.add(company.uscc);
      for (const list of MOCK_LISTS) {
        const ids = new Set<string>();
        (company[list] ?? []).forEach((entry, entryIndex) => {
          if (entry.id === undefined) return;
          if (ids.has(entry.id)) {
            ctx.addIssue({ code: 'custom', path: ['companies', index, list, entryIndex, 'id'], message: `duplicate ${entry.id}` });
          }
          ids.add(entry.id);
        });
      }
    });
  });

export type MockListEntry = z.output<typeof mockListEntrySchema> & { id: string };
export type MockAnnualReport = z.output<typeof mockAnnualReportSchema>;
/** A company of the mock's state; the optional sections' lists may be absent (read as empty). */
export type MockCompany = Omit<z.output<typeof mockCompanySchema>, MockListName> &
  Record<'abnormalOperations' | 'seriousViolations', MockListEntry[]> &
  Partial<Record<'administrativePenalties' | 'dishonestDebtors', MockListEntry[]>>;
export interface MockState {
  description?: string;
  companies: MockCompany[];
}

/** Validates a parsed state document; throws AppError INPUT_UNREADABLE naming `source` and the field. */
export function parseMockState(input: unknown, source: string): MockState {
  const parsed = mockStateSchema.safeParse(input);
  if (!parsed.success) throw new AppError('INPUT_UNREADABLE', `${source}: ${describeZodError(parsed.error)}`);
  const { description, companies } = parsed.data;
  const withIds = companies.map(({ administrativePenalties, dishonestDebtors, ...company }): MockCompany => ({
    ...company,
    abnormalOperations: assignIds(company.abnormalOperations, `AO-${company.uscc}`),
    seriousViolations: assignIds(company.seriousViolations, `SV-${company.uscc}`),
    // Optional lists stay absent when the file has none, so a state read back equals the one written.
    ...(administrativePenalties === undefined ? {} : { administrativePenalties: assignIds(administrativePenalties, `AP-${company.uscc}`) }),
    ...(dishonestDebtors === undefined ? {} : { dishonestDebtors: assignIds(dishonestDebtors, `DD-${company.uscc}`) }),
  }));
  return description === undefined ? { companies: withIds } : { description, companies: withIds };
}

/** Reads and validates a state file; every failure is one line naming the file (and field). */
export async function loadMockState(file: string): Promise<MockState> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new AppError('INPUT_UNREADABLE', `${file}: cannot read the mock state file (${code})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `${file}: not valid JSON`, { cause: error });
  }
  return parseMockState(json, file);
}

/** First zod issue as "companies[3].abnormalOperations[0].listedOn: message (+N more)". */
export function describeZodError(error: z.ZodError): string {
  const [first] = error.issues;
  if (first === undefined) return 'invalid';
  const path = first.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${path === '' ? '(root)' : path}: ${first.message}${more}`;
}

function assignIds(entries: z.output<typeof mockListEntrySchema>[], prefix: string): MockListEntry[] {
  const taken = new Set(entries.flatMap((entry) => (entry.id === undefined ? [] : [entry.id])));
  return entries.map((entry, index) => {
    if (entry.id !== undefined) return { ...entry, id: entry.id };
    let id = `${prefix}-${index + 1}`;
    while (taken.has(id)) id = `${id}x`;
    taken.add(id);
    return { ...entry, id };
  });
}
