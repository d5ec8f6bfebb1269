import { z } from 'zod';
import { parseUscc } from '../domain/uscc.js';

export type RescanRequest = { kind: 'uscc'; uscc: string } | { kind: 'all' } | { kind: 'tag'; tag: string };

const schema = z.union([
  z.strictObject({ uscc: z.string() }),
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ tag: z.string().min(1).max(100) }),
]);

/** Parses the public `rescan` job data; the error is one line naming what is wrong. */
export function parseRescanRequest(data: unknown): { ok: true; request: RescanRequest } | { ok: false; reason: string } {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, reason: `rescan data must be {"uscc": "<code>"}, {"all": true} or {"tag": "<tag>"}, got ${describe(data)}` };
  }
  const value = parsed.data;
  if ('uscc' in value) {
    const uscc = parseUscc(value.uscc);
    // A check-digit mismatch may be a genuine pilot code already in the register: let the lookup decide.
    if (!uscc.ok && uscc.fault !== 'check_digit') return { ok: false, reason: `rescan uscc ${JSON.stringify(value.uscc)}: ${uscc.reason}` };
    return { ok: true, request: { kind: 'uscc', uscc: uscc.uscc } };
  }
  if ('all' in value) return { ok: true, request: { kind: 'all' } };
  return { ok: true, request: { kind: 'tag', tag: value.tag } };
}

function describe(data: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, despite its declared type.
  const text = JSON.stringify(data) as string | undefined;
  return (text ?? String(data)).slice(0, 200);
}
