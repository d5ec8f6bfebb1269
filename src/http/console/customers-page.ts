/** `/customers`: the portfolio, filtered by search, grade, state, tier and tag, and paged. */
import { TIERS } from '../../domain/events.js';
import { GRADES } from '../../domain/grades.js';
import { currentCursor, customerPath, gradeBadge, pager, tableWrap, timeTag } from './components.js';
import { selectField, textField } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { gradeName, tierName } from './labels.js';
import { page } from './layout.js';
import type { CustomerListData, CustomerSummary, PageContext } from './page-data.js';

const STATES = ['monitored', 'paused', 'failing', 'removed'] as const;

/** Removed, paused, failing (with the count) or ok. */
export function monitoringState(c: CustomerSummary, lang: Lang): SafeHtml {
  const m = messages(lang).customers;
  if (c.removedAt !== undefined && c.removedAt !== null) return html`<span class="muted">${m.states.removed}</span>`;
  if (c.paused) return html`<span class="muted">${m.states.paused}</span>`;
  if (c.consecutiveFailures > 0) return html`<span class="alarm" title="${c.lastError ?? ''}">${m.failures(c.consecutiveFailures)}</span>`;
  return html`${m.ok}`;
}

function row(c: CustomerSummary, lang: Lang): SafeHtml {
  return html`<tr><td class="code">${c.uscc}</td><td><a href="${customerPath(c.uscc)}">${c.name}</a></td><td>${gradeBadge(c.grade, lang)}</td><td>${c.tags.map(
    (t) => html`<span class="tag">${t}</span> `,
  )}</td><td>${monitoringState(c, lang)}</td><td>${timeTag(c.lastCheckedAt)}</td></tr>`;
}

function filters(ctx: PageContext, data: CustomerListData): SafeHtml {
  const m = messages(ctx.lang);
  const f = data.filter;
  const all = { value: '', label: m.common.all };
  return html`<form method="get" action="/customers" class="filters" role="search">${textField({
    id: 'f-search',
    name: 'search',
    label: m.customers.search,
    type: 'search',
    value: f.search ?? '',
  })}${selectField({ id: 'f-grade', name: 'grade', label: m.customers.grade, options: [all, ...GRADES.map((g) => ({ value: g, label: gradeName(g, ctx.lang) }))], selected: f.grade ?? '' })}${selectField(
    { id: 'f-state', name: 'state', label: m.customers.state, options: [all, ...STATES.map((s) => ({ value: s, label: m.customers.states[s] }))], selected: f.state ?? '' },
  )}${selectField({ id: 'f-tier', name: 'tier', label: m.customers.tier, options: [all, ...TIERS.map((t) => ({ value: t, label: tierName(t, ctx.lang) }))], selected: f.tier ?? '' })}${textField({
    id: 'f-tag',
    name: 'tag',
    label: m.customers.tag,
    value: f.tag ?? '',
  })}<div class="actions"><button type="submit">${m.common.filter}</button><a href="/customers">${m.common.clearFilters}</a></div></form>`;
}

export function renderCustomers(ctx: PageContext, data: CustomerListData): string {
  const m = messages(ctx.lang).customers;
  const items = data.customers.items;
  const rows = items.length === 0 ? html`<tr><td colspan="6" class="empty">${m.noCustomers}</td></tr>` : items.map((c) => row(c, ctx.lang));
  const table = tableWrap(
    html`<table><thead><tr><th scope="col">${m.uscc}</th><th scope="col">${m.name}</th><th scope="col">${m.grade}</th><th scope="col">${m.tags}</th><th scope="col">${m.state}</th><th scope="col">${
      m.lastCheckedAt
    }</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
  const { search, grade, state, tier, tag } = data.filter;
  return page(ctx, m.title, html`${filters(ctx, data)}${table}${pager(ctx.lang, '/customers', { search, grade, state, tier, tag }, data.customers, currentCursor(ctx.query))}`);
}
