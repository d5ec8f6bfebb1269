/** The console's error page (403, 404, …): inside the console when signed in, bare otherwise. */
import { html } from './html.js';
import { messages, type Lang } from './i18n.js';
import { bareDocument, page } from './layout.js';
import type { PageContext } from './page-data.js';

export function renderError(ctx: PageContext | { lang: Lang; path?: string; query?: string }, status: number, message?: string): string {
  const m = messages(ctx.lang).errors;
  const title = status === 403 ? m[403] : status === 404 ? m[404] : m.other;
  const hint = message ?? (status === 403 ? m.forbiddenHint : status === 404 ? m.notFoundHint : '');
  const body = html`<p class="status-code">${status}</p>${hint === '' ? '' : html`<p>${hint}</p>`}<p><a href="/">${m.backHome}</a></p>`;
  if ('csrfToken' in ctx) return page(ctx, title, body);
  return bareDocument(ctx.lang, title, body, { path: ctx.path ?? '/', query: ctx.query ?? '' });
}
