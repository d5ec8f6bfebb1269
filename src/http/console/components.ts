/** Small pieces every page uses: tier badges, times, links, the pager. All text goes through `html`. */
import type { Tier } from '../../domain/events.js';
import { html, type SafeHtml } from './html.js';
import { formatShanghai, messages, type Lang } from './i18n.js';
import { gradeName, tierName } from './labels.js';
import type { Listing } from './page-data.js';

/** A path with its query; empty and undefined parameters are left out. */
export function href(path: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, value);
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function customerPath(uscc: string): string {
  return `/customers/${encodeURIComponent(uscc)}`;
}

export function casePath(id: string): string {
  return `/cases/${encodeURIComponent(id)}`;
}

/** The tier's colour and its name, so it reads without colour too. */
export function tierBadge(tier: Tier, lang: Lang): SafeHtml {
  return html`<span class="badge tier-${tier}">${tierName(tier, lang)}</span>`;
}

export function gradeBadge(grade: string, lang: Lang): SafeHtml {
  return html`<span class="badge grade grade-${grade}">${gradeName(grade, lang)}</span>`;
}

/** An instant in Asia/Shanghai, machine-readable too; null as a dash. */
export function timeTag(at: string | number | null | undefined): SafeHtml {
  if (at === null || at === undefined) return html`<span class="muted">—</span>`;
  const date = new Date(at);
  const iso = Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
  return html`<time datetime="${iso}">${formatShanghai(at)}</time>`;
}

/** The customer's name linking to its page, and its code beside it. */
export function customerLink(customer: { uscc: string; name: string }): SafeHtml {
  return html`<a href="${customerPath(customer.uscc)}">${customer.name}</a> <span class="code">${customer.uscc}</span>`;
}

export function caseLink(id: string): SafeHtml {
  return html`<a class="code" href="${casePath(id)}">${id}</a>`;
}

/** The `cursor` of a query string (with or without `?`), if any. */
export function currentCursor(query: string): string | undefined {
  return new URLSearchParams(query.startsWith('?') ? query.slice(1) : query).get('cursor') ?? undefined;
}

/** The count and a link to the next page (carrying the filters and the cursor), or back to the first. */
export function pager(lang: Lang, path: string, params: Readonly<Record<string, string | undefined>>, listing: Listing<unknown>, cursor?: string): SafeHtml {
  const m = messages(lang).common;
  const total = listing.total === undefined ? '' : html`<span>${m.total(listing.total)}</span>`;
  const first = cursor === undefined || cursor === '' ? '' : html`<a href="${href(path, params)}">${m.firstPage}</a>`;
  const next = listing.next === null ? '' : html`<a rel="next" href="${href(path, { ...params, cursor: listing.next })}">${m.nextPage}</a>`;
  return html`<nav class="pager" aria-label="${m.pagination}">${total}${first}${next}</nav>`;
}

/** A table inside a wrapper that scrolls sideways on a narrow screen instead of the whole page. */
export function tableWrap(table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap">${table}</div>`;
}

/** One term of a <dl class="facts">; a null value reads "none". */
export function fact(label: string, value: SafeHtml | string | null, lang: Lang): SafeHtml {
  return html`<div><dt>${label}</dt><dd>${value ?? html`<span class="muted">${messages(lang).common.none}</span>`}</dd></div>`;
}
