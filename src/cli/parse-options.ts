import { AppError } from '../errors.js';
import { parseUscc } from '../domain/uscc.js';
import { TIERS, type Tier } from '../domain/events.js';
import { GRADES, type Grade } from '../domain/grades.js';

/** Validates a --uscc value; a code whose only fault is its check digit passes when allowed. */
export function usccOption(value: string, acceptCheckDigitMismatch = false): { uscc: string; warning?: string } {
  const parsed = parseUscc(value);
  if (parsed.ok) return { uscc: parsed.uscc };
  if (acceptCheckDigitMismatch && parsed.fault === 'check_digit') {
    return { uscc: parsed.uscc, warning: `--uscc ${parsed.uscc}: ${parsed.reason} (accepted)` };
  }
  throw new AppError('USAGE', `--uscc ${JSON.stringify(value)}: ${parsed.reason}`);
}

export function tierOption(value: string): Tier {
  if (!(TIERS as readonly string[]).includes(value)) {
    throw new AppError('USAGE', `--tier ${JSON.stringify(value)}: expected one of ${TIERS.join(', ')}`);
  }
  return value as Tier;
}

export function gradeOption(value: string): Grade {
  if (!(GRADES as readonly string[]).includes(value)) {
    throw new AppError('USAGE', `--grade ${JSON.stringify(value)}: expected one of ${GRADES.join(', ')}`);
  }
  return value as Grade;
}

export function isoOption(name: string, value: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw new AppError('USAGE', `${name} ${JSON.stringify(value)}: expected an ISO 8601 date or time, e.g. 2026-11-27 or 2026-11-27T08:00:00Z`);
  }
  return ms;
}

export function positiveIntOption(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new AppError('USAGE', `${name} ${JSON.stringify(value)}: expected an integer from 1 to ${max}`);
  }
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function exclusiveFormat(options: { json?: boolean; csv?: boolean }): 'json' | 'csv' | 'text' {
  if (options.json && options.csv) throw new AppError('USAGE', '--json and --csv cannot be used together');
  return options.json ? 'json' : options.csv ? 'csv' : 'text';
}
