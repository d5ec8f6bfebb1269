/** `/`: the portfolio at a glance. */
import { TIERS } from '../../domain/events.js';
import { GRADES } from '../../domain/grades.js';
import { bar } from './bar.js';
import { customerLink, href, tableWrap, tierBadge } from './components.js';
import { html, type SafeHtml } from './html.js';
import { formatCount, messages, type Lang } from './i18n.js';
import { gradeName } from './labels.js';
import { page } from './layout.js';
import { OVERVIEW_PERIODS, type OverviewData, type PageContext } from './page-data.js';

function eventsByTier(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang).overview;
  const max = Object.fromEntries(OVERVIEW_PERIODS.map((p) => [p, Math.max(0, ...TIERS.map((t) => data.eventsByTier[p][t] ?? 0))]));
  const head = OVERVIEW_PERIODS.map((p) => html`<th scope="col">${m.periods[p]}</th>`);
  const rows = TIERS.map((tier) => {
    const cells = OVERVIEW_PERIODS.map((p) => {
      const n = data.eventsByTier[p][tier] ?? 0;
      return html`<td><div class="num-bar"><span class="num">${formatCount(n, lang)}</span>${bar(n, max[p] ?? 0, `fill-${tier}`)}</div></td>`;
    });
    return html`<tr><th scope="row">${tierBadge(tier, lang)}</th>${cells}</tr>`;
  });
  return html`<section class="card wide" aria-labelledby="events-by-tier"><h2 id="events-by-tier">${m.eventsByTier}</h2>${tableWrap(
    html`<table class="chart"><thead><tr><th scope="col">${m.tier}</th>${head}</tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

function gradeMix(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang).overview;
  const max = Math.max(0, ...GRADES.map((g) => data.grades[g] ?? 0));
  const rows = GRADES.map((grade) => {
    const n = data.grades[grade] ?? 0;
    return html`<tr><th scope="row"><a href="${href('/customers', { grade })}">${gradeName(grade, lang)}</a></th><td><div class="num-bar"><span class="num">${formatCount(n, lang)}</span>${bar(n, max, `fill-grade-${grade}`)}</div></td></tr>`;
  });
  return html`<section class="card" aria-labelledby="grade-mix"><h2 id="grade-mix">${m.gradeMix}</h2><table class="chart"><thead><tr><th scope="col">${m.grade}</th><th scope="col">${
    m.customers
  }</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function failing(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang);
  const { count, customers } = data.failing;
  const list =
    count === 0
      ? html`<p>${m.overview.noneFailing}</p>`
      : html`<p>${m.overview.failingCount(count)}</p>${tableWrap(
          html`<table><thead><tr><th scope="col">${m.customers.name}</th><th scope="col">${m.customer.consecutiveFailures}</th><th scope="col">${
            m.customer.lastError
          }</th></tr></thead><tbody>${customers.map(
            (c) => html`<tr><td>${customerLink(c)}</td><td class="num">${c.consecutiveFailures}</td><td class="error-text">${c.lastError ?? '—'}</td></tr>`,
          )}</tbody></table>`,
        )}${count > customers.length ? html`<p><a href="${href('/customers', { state: 'failing' })}">${m.overview.showAllFailing}</a></p>` : ''}`;
  return html`<section class="card wide" aria-labelledby="failing"><h2 id="failing">${m.overview.failing}</h2>${list}</section>`;
}

function providerCalls(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang).overview;
  const { today, dailyBudget } = data.providerCalls;
  const body =
    dailyBudget === null
      ? html`<p class="figure">${m.callsUnlimited(today)}</p>`
      : html`<p class="figure" id="calls-text">${m.callsOfBudget(today, dailyBudget)}</p><meter min="0" max="${dailyBudget}" low="${Math.round(dailyBudget * 0.8)}" high="${Math.round(
          dailyBudget * 0.95,
        )}" optimum="0" value="${Math.min(today, dailyBudget)}" aria-labelledby="provider-calls calls-text">${m.callsOfBudget(today, dailyBudget)}</meter>`;
  return html`<section class="card" aria-labelledby="provider-calls"><h2 id="provider-calls">${m.providerCalls}</h2>${body}</section>`;
}

function cases(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang);
  const item = (label: string, n: number, link: string, className = ''): SafeHtml =>
    html`<div class="${`stat ${className}`.trim()}"><dt>${label}</dt><dd><a href="${link}">${formatCount(n, lang)}</a></dd></div>`;
  return html`<section class="card" aria-labelledby="case-counts"><h2 id="case-counts">${m.overview.cases}</h2><dl class="stats">${item(
    m.cases.states.open,
    data.cases.open,
    href('/cases', { state: 'open' }),
  )}${item(m.cases.states.acknowledged, data.cases.acknowledged, href('/cases', { state: 'acknowledged' }))}${item(
    m.common.overdue,
    data.cases.overdue,
    href('/cases', { overdue: '1' }),
    data.cases.overdue > 0 ? 'alarm' : '',
  )}</dl></section>`;
}

function deadDeliveries(data: OverviewData, lang: Lang): SafeHtml {
  const m = messages(lang).overview;
  return html`<section class="card" aria-labelledby="dead-deliveries"><h2 id="dead-deliveries">${m.deadDeliveries}</h2><p class="${
    data.deadDeliveries > 0 ? 'figure alarm' : 'figure'
  }">${formatCount(data.deadDeliveries, lang)}</p>${data.deadDeliveries > 0 ? html`<p class="hint">${m.deadHint}</p>` : ''}</section>`;
}

/** The domain's warning is "中文 / English": show the half in the page's language. */
function calendarWarning(warning: string | null, lang: Lang): SafeHtml | '' {
  if (warning === null || warning === '') return '';
  const [zh, ...en] = warning.split(' / ');
  const text = en.length === 0 ? warning : lang === 'en' ? en.join(' / ') : (zh ?? warning);
  return html`<div class="warning" role="note"><strong>${messages(lang).overview.calendarWarning}</strong> ${text}</div>`;
}

export function renderOverview(ctx: PageContext, data: OverviewData): string {
  const m = messages(ctx.lang).overview;
  return page(
    ctx,
    m.title,
    html`${calendarWarning(data.calendarWarning, ctx.lang)}<div class="grid">${eventsByTier(data, ctx.lang)}${cases(data, ctx.lang)}${gradeMix(data, ctx.lang)}${providerCalls(
      data,
      ctx.lang,
    )}${deadDeliveries(data, ctx.lang)}${failing(data, ctx.lang)}</div>`,
  );
}
