/** `/cases`: the case list, filtered by state and overdue. */
import type { CaseView } from '../../app/case-view.js';
import { CASE_STATES } from '../../domain/cases.js';
import { dueText } from './case-due.js';
import { caseLink, currentCursor, customerLink, pager, tableWrap, tierBadge, timeTag } from './components.js';
import { selectField } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { messages } from './i18n.js';
import { caseStateName } from './labels.js';
import { page } from './layout.js';
import type { CaseListData, PageContext } from './page-data.js';

function nextDue(ctx: PageContext, kase: CaseView): SafeHtml {
  if (kase.state === 'resolved') return html`<span class="muted">—</span>`;
  const kind = kase.state === 'open' ? 'acknowledge' : 'resolve';
  return dueText(kase.deadlines[kind], kase.overdue.length > 0, ctx.lang);
}

function row(ctx: PageContext, kase: CaseView): SafeHtml {
  const m = messages(ctx.lang).cases;
  return html`<tr><td>${caseLink(kase.id)}</td><td>${customerLink(kase.customer)}</td><td>${tierBadge(kase.tier, ctx.lang)}</td><td>${caseStateName(
    kase.state,
    ctx.lang,
  )}</td><td>${timeTag(kase.openedAt)}</td><td>${nextDue(ctx, kase)}</td><td>${kase.assignee ?? html`<span class="muted">${m.unassigned}</span>`}</td></tr>`;
}

function filters(ctx: PageContext, data: CaseListData): SafeHtml {
  const m = messages(ctx.lang);
  const states = [{ value: '', label: m.cases.allStates }, ...CASE_STATES.map((s) => ({ value: s, label: caseStateName(s, ctx.lang) }))];
  return html`<form method="get" action="/cases" class="filters" role="search">${selectField({
    id: 'f-state',
    name: 'state',
    label: m.cases.state,
    options: states,
    selected: data.filter.state ?? '',
  })}<div class="field check"><input type="checkbox" id="f-overdue" name="overdue" value="1"${data.filter.overdue === true ? ' checked' : ''}><label for="f-overdue">${
    m.cases.overdueOnly
  }</label></div><div class="actions"><button type="submit">${m.common.filter}</button><a href="/cases">${m.common.clearFilters}</a></div></form>`;
}

export function renderCases(ctx: PageContext, data: CaseListData): string {
  const m = messages(ctx.lang).cases;
  const items = data.cases.items;
  const rows = items.length === 0 ? html`<tr><td colspan="7" class="empty">${m.noCases}</td></tr>` : items.map((c) => row(ctx, c));
  const table = tableWrap(
    html`<table><thead><tr><th scope="col">${m.id}</th><th scope="col">${m.customer}</th><th scope="col">${m.tier}</th><th scope="col">${m.state}</th><th scope="col">${
      m.openedAt
    }</th><th scope="col">${m.nextDue}</th><th scope="col">${m.assignee}</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
  const params = { state: data.filter.state, overdue: data.filter.overdue === true ? '1' : undefined };
  return page(ctx, m.title, html`${filters(ctx, data)}${table}${pager(ctx.lang, '/cases', params, data.cases, currentCursor(ctx.query))}`);
}
