/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER while the PostgreSQL repositories are written: any method refuses with a clear error. */
import { AppError } from '../../errors.js';

export function notBuiltYet<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => () => Promise.reject(new AppError('STORE_FAILED', `${name}.${String(method)} is not available on PostgreSQL yet`)),
  });
}
