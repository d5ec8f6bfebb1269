import { createHash } from 'node:crypto';

/** The `Token` header: upper-case hex MD5 of key + Timespan + secret, plain concatenation, UTF-8. */
export function qichachaToken(key: string, timespan: string, secret: string): string {
  return createHash('md5').update(`${key}${timespan}${secret}`, 'utf8').digest('hex').toUpperCase();
}

/** The `Timespan` header: Unix time in whole seconds, as a string. */
export function qichachaTimespan(nowMs: number): string {
  return String(Math.floor(nowMs / 1000));
}
