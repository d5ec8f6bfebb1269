/** CM_DB: a SQLite file path, or a PostgreSQL URL. */
import { resolve } from 'node:path';

export type StoreLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** `postgres://` or `postgresql://` selects PostgreSQL; anything else is a SQLite path, resolved against `cwd`. */
export function parseStoreLocation(value: string, cwd: string): StoreLocation {
  return /^postgres(ql)?:\/\//i.test(value) ? { dialect: 'postgres', url: value } : { dialect: 'sqlite', path: resolve(cwd, value) };
}

/** What is wrong with a PostgreSQL URL (its text is never quoted: it may carry a password), or undefined. */
export function storeLocationProblem(location: StoreLocation): string | undefined {
  if (location.dialect === 'sqlite') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(location.url);
  } catch {
    return 'not a PostgreSQL URL (postgres://user:password@host:5432/database)';
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) return 'the PostgreSQL URL names no host';
  return undefined;
}

/** The location for messages and logs: a URL's password is replaced by `***`. */
export function describeStoreLocation(location: StoreLocation): string {
  return location.dialect === 'sqlite' ? location.path : redactDatabaseUrl(location.url);
}

export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
