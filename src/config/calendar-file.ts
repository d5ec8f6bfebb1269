/**
 * The working-day calendar's override file (`calendar.overridesFile`): a company calendar, or next
 * year's State Council notice before chinese-days has it. Read by loadConfig, checked by the schema.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { CalendarDays } from '../domain/workday-calendar.js';
import { AppError } from '../errors.js';

/** The override file read when `calendar.overridesFile` is left out: beside the policy file, if it exists. */
export const DEFAULT_CALENDAR_FILE = 'calendar.json';

const day = z.iso.date({ error: (issue) => `expected a YYYY-MM-DD day, got ${JSON.stringify(issue.input)}` });

/** `{"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-02-07"]}`; each list optional. */
export const calendarFileSchema = z
  .object({
    /** Years the file describes in full: their deadlines are no longer provisional. */
    years: z.array(z.number().int().min(1900).max(2199)).default(() => []),
    /** Days off, in any year (official holidays of a covered year, company holidays). */
    holidays: z.array(day).default(() => []),
    /** Days worked, in any year (调休 make-up days, company working days). */
    workdays: z.array(day).default(() => []),
  })
  .strict()
  .superRefine((file, ctx) => {
    const holidays = new Set(file.holidays);
    file.workdays.forEach((workday, i) => {
      if (holidays.has(workday)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${workday} is in "holidays" too` });
    });
  }) satisfies z.ZodType<CalendarDays>;

/** The file and its parsed JSON, for the schema to check; null when there is none to read. */
export interface CalendarFileSource {
  path: string;
  content: unknown;
}

/** `calendar.overridesFile` as the policy file has it, before validation (which refuses a bad one). */
function configured(policyFile: unknown): unknown {
  if (typeof policyFile !== 'object' || policyFile === null || !('calendar' in policyFile)) return undefined;
  const calendar = policyFile.calendar;
  if (typeof calendar !== 'object' || calendar === null || !('overridesFile' in calendar)) return undefined;
  return calendar.overridesFile;
}

/**
 * Reads the override file the policy file names (relative to its directory), or the default one if
 * it exists. Null when the key is null, not a usable string (the schema then names the key), or the
 * default file is absent.
 * @throws AppError CONFIG_INVALID naming the key and file when a named file cannot be read or is not JSON.
 */
export function readCalendarFile(policyFile: unknown, configPath: string): CalendarFileSource | null {
  const named = configured(policyFile);
  if (named !== undefined && (typeof named !== 'string' || named.trim() === '')) return null;
  const path = resolve(dirname(configPath), named?.trim() ?? DEFAULT_CALENDAR_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (named === undefined && code === 'ENOENT') return null;
    throw new AppError('CONFIG_INVALID', `calendar.overridesFile ${path}: cannot read (${code})`);
  }
  try {
    return { path, content: JSON.parse(text) };
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `calendar.overridesFile ${path}: not valid JSON (${(error as Error).message})`);
  }
}
