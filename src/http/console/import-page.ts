/** `/import`: upload a customer CSV (admins), then its report with every row's message. */
import { summariseRowMessages } from '../../cli/row-messages.js';
import { roleAllows } from '../../domain/api-tokens.js';
import { tableWrap } from './components.js';
import { postForm } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { formatCount, messages, type Lang } from './i18n.js';
import { page } from './layout.js';
import type { ImportPageData, ImportReportView, PageContext } from './page-data.js';

/** Row messages shown on the page; the rest are counted per kind (a file may hold 100,000 bad rows). */
export const SHOWN_IMPORT_ROWS = 500;

function report(view: ImportReportView, lang: Lang): SafeHtml {
  const m = messages(lang).import;
  const counts = Object.entries(view.summary).map(
    ([outcome, n]) => html`<tr><th scope="row">${m.outcomes[outcome] ?? outcome}</th><td class="num">${formatCount(n, lang)}</td></tr>`,
  );
  const { shown, notShown } = summariseRowMessages(view.rows, SHOWN_IMPORT_ROWS);
  const rows =
    shown.length === 0
      ? html`<p>${m.noRowMessages}</p>`
      : tableWrap(
          html`<table class="row-messages"><thead><tr><th scope="col">${m.line}</th><th scope="col">${m.kind}</th><th scope="col">${m.message}</th></tr></thead><tbody>${shown.map(
            (r) => html`<tr class="${`row-${r.kind}`}"><td class="num">${r.line}</td><td>${m.kinds[r.kind] ?? r.kind}</td><td>${r.text}</td></tr>`,
          )}</tbody></table>`,
        );
  const rest = notShown.reduce((sum, k) => sum + k.count, 0);
  const more = rest === 0 ? '' : html`<p class="hint">${m.notShown(rest, notShown.map((k) => `${m.kinds[k.kind] ?? k.kind} ${String(k.count)}`).join(', '))}</p>`;
  return html`<section aria-labelledby="import-report"><h2 id="import-report">${m.report}</h2><p>${m.file}: <span class="code">${view.file}</span></p><table class="counts"><thead><tr><th scope="col">${
    m.outcome
  }</th><th scope="col">${m.count}</th></tr></thead><tbody>${counts}</tbody></table><h3>${m.rows}</h3>${rows}${more}</section>`;
}

export function renderImport(ctx: PageContext, data: ImportPageData): string {
  const m = messages(ctx.lang).import;
  const form = roleAllows(ctx.role, 'admin')
    ? postForm(
        { action: '/import', csrfToken: ctx.csrfToken, enctype: 'multipart/form-data', className: 'card', label: m.title },
        html`<div class="field"><label for="import-file">${m.fileLabel}</label><input type="file" id="import-file" name="file" accept=".csv,text/csv" required></div><button type="submit">${m.submit}</button>`,
      )
    : html`<p class="notice">${m.adminOnly}</p>`;
  return page(ctx, m.title, html`<p>${m.intro}</p>${form}${data.report === undefined ? '' : report(data.report, ctx.lang)}`);
}
