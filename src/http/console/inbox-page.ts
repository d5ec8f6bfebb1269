/** `/inbox`: events to work through, with filters, paging, and acknowledging one or many. */
import { roleAllows } from '../../domain/api-tokens.js';
import { TIERS } from '../../domain/events.js';
import type { EventView } from '../../store/event-view.js';
import { caseLink, currentCursor, customerLink, pager, tableWrap, tierBadge, timeTag } from './components.js';
import { eventDetail } from './event-detail.js';
import { postForm, selectField, textField } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { messages } from './i18n.js';
import { eventViewPhrase, tierName } from './labels.js';
import { page } from './layout.js';
import type { InboxData, PageContext } from './page-data.js';

/** The events route that acknowledges one event (htmx swaps the row it answers). */
export function eventAckPath(id: string): string {
  return `/events/${encodeURIComponent(id)}/ack`;
}

function ackCell(ctx: PageContext, event: EventView): SafeHtml {
  const m = messages(ctx.lang).inbox;
  if (event.acknowledgedAt !== undefined) {
    return html`<span class="acked">${event.acknowledgedBy === undefined ? '' : m.acknowledgedBy(event.acknowledgedBy)}</span> ${timeTag(event.acknowledgedAt)}`;
  }
  if (!roleAllows(ctx.role, 'analyst')) return html`<span class="muted">${m.states.unacknowledged}</span>`;
  const path = eventAckPath(event.id);
  // Without htmx the button posts the surrounding form to the same route, which then redirects back.
  return html`<button type="submit" class="small" formaction="${path}" hx-post="${path}" hx-target="closest tr" hx-swap="outerHTML" hx-params="none">${m.ack}<span class="sr-only"> ${event.customer.name} ${event.id}</span></button>`;
}

/** One inbox row; also the answer of the per-row acknowledge (htmx swaps the row with it). */
export function renderInboxRow(ctx: PageContext, event: EventView): string {
  return inboxRow(ctx, event).value;
}

function inboxRow(ctx: PageContext, event: EventView): SafeHtml {
  const m = messages(ctx.lang).inbox;
  const analyst = roleAllows(ctx.role, 'analyst');
  const select =
    event.acknowledgedAt === undefined
      ? html`<input type="checkbox" name="id" value="${event.id}" id="${`select-${event.id}`}"><label class="sr-only" for="${`select-${event.id}`}">${m.selectEvent(event.id)}</label>`
      : '';
  return html`<tr id="${`event-${event.id}`}">${analyst ? html`<td class="select">${select}</td>` : ''}<td>${tierBadge(event.tier, ctx.lang)}</td><td><span class="phrase">${eventViewPhrase(
    event,
    ctx.lang,
  )}</span>${eventDetail(event, ctx.lang)}</td><td>${customerLink(event.customer)}</td><td>${timeTag(event.detectedAt)}</td><td>${
    event.caseId === undefined ? html`<span class="muted">—</span>` : caseLink(event.caseId)
  }</td><td>${ackCell(ctx, event)}</td></tr>`;
}

function filters(ctx: PageContext, data: InboxData): SafeHtml {
  const m = messages(ctx.lang);
  const f = data.filter;
  const tiers = [{ value: '', label: m.common.all }, ...TIERS.map((t) => ({ value: t, label: tierName(t, ctx.lang) }))];
  const states = (['unacknowledged', 'acknowledged', 'all'] as const).map((s) => ({ value: s, label: m.inbox.states[s] }));
  return html`<form method="get" action="/inbox" class="filters" role="search">${selectField({ id: 'f-tier', name: 'tier', label: m.inbox.tier, options: tiers, selected: f.tier ?? '' })}${selectField({
    id: 'f-state',
    name: 'state',
    label: m.inbox.state,
    options: states,
    selected: f.state,
  })}${textField({ id: 'f-uscc', name: 'uscc', label: m.inbox.uscc, type: 'search', value: f.uscc ?? '' })}<div class="actions"><button type="submit">${m.inbox.search}</button><a href="/inbox">${
    m.common.clearFilters
  }</a></div></form>`;
}

export function renderInbox(ctx: PageContext, data: InboxData): string {
  const m = messages(ctx.lang);
  const analyst = roleAllows(ctx.role, 'analyst');
  const events = data.events.items;
  const head = html`<thead><tr>${analyst ? html`<th scope="col"><span class="sr-only">${m.inbox.select}</span></th>` : ''}<th scope="col">${m.inbox.tier}</th><th scope="col">${
    m.inbox.event
  }</th><th scope="col">${m.inbox.customer}</th><th scope="col">${m.inbox.detectedAt}</th><th scope="col">${m.inbox.case}</th><th scope="col">${m.inbox.acknowledgement}</th></tr></thead>`;
  const rows =
    events.length === 0
      ? html`<tr><td colspan="${analyst ? 7 : 6}" class="empty">${m.inbox.noEvents}</td></tr>`
      : events.map((e) => inboxRow(ctx, e));
  const table = tableWrap(html`<table class="inbox">${head}<tbody>${rows}</tbody></table>`);
  const anyOpen = events.some((e) => e.acknowledgedAt === undefined);
  const bulk =
    analyst && anyOpen
      ? html`<div class="bulk">${textField({ id: 'ack-note', name: 'note', label: m.inbox.note })}<button type="submit">${m.inbox.ackSelected}</button></div>`
      : '';
  const list = analyst ? postForm({ action: '/inbox/ack', csrfToken: ctx.csrfToken, label: m.inbox.title }, html`${table}${bulk}`) : table;
  const params = { tier: data.filter.tier, state: data.filter.state, uscc: data.filter.uscc };
  return page(ctx, m.inbox.title, html`${filters(ctx, data)}${list}${pager(ctx.lang, '/inbox', params, data.events, currentCursor(ctx.query))}`);
}
