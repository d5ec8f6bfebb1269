/** Keyset paging by id on SQLite: bounded memory for any register size, and no OFFSET rescans. */
import { storeCall } from './store-error.js';

/**
 * Yields the non-empty pages `read` returns (up to `pageSize` rows with an id above `afterId`, in id
 * order) until a short page. Each page is one synchronous statement; other work runs between pages.
 */
export async function* sqlitePagesById<T extends { id: number }>(
  context: string,
  pageSize: number,
  read: (afterId: number, limit: number) => T[],
): AsyncGenerator<T[]> {
  const size = Math.max(1, Math.trunc(pageSize));
  let afterId = 0;
  for (;;) {
    const page = await storeCall(context, () => read(afterId, size));
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (last === undefined || page.length < size) return;
    afterId = last.id;
  }
}
