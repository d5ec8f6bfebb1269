/** `/cases/{id}`: one case with its deadlines, events, deliveries and audit trail. */
import type { CaseDetailView } from '../../app/case-view.js';
import { CASE_DEADLINES } from '../../domain/cases.js';
import { TIERS, type Tier } from '../../domain/events.js';
import { dueText } from './case-due.js';
import { caseForms } from './case-forms.js';
import { customerLink, tableWrap, tierBadge, timeTag } from './components.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { caseStateName, decisionName, eventTypeName } from './labels.js';
import { page } from './layout.js';
import type { PageContext } from './page-data.js';

const isTier = (value: string): value is Tier => (TIERS as readonly string[]).includes(value);

function tierCell(tier: string, lang: Lang): SafeHtml {
  return isTier(tier) ? tierBadge(tier, lang) : html`${tier}`;
}

function summary(kase: CaseDetailView, lang: Lang): SafeHtml {
  const m = messages(lang);
  const d = m.caseDetail;
  const item = (label: string, value: SafeHtml | string): SafeHtml => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const acked = kase.acknowledgedAt === null ? '' : item(d.acknowledged, html`${kase.acknowledgedBy ?? ''} ${timeTag(kase.acknowledgedAt)}`);
  const ackNote = kase.acknowledgementNote === null ? '' : item(d.acknowledgementNote, kase.acknowledgementNote);
  const resolved = kase.resolvedAt === null ? '' : item(d.resolved, html`${kase.resolvedBy ?? ''} ${timeTag(kase.resolvedAt)}`);
  const decision = kase.decision === null ? '' : item(d.decision, decisionName(kase.decision, lang));
  const note = kase.resolutionNote === null ? '' : item(d.resolutionNote, kase.resolutionNote);
  return html`<section class="card" aria-labelledby="case-summary"><h2 id="case-summary">${d.summary}</h2><dl class="facts">${item(m.cases.customer, customerLink(kase.customer))}${item(
    m.cases.tier,
    tierBadge(kase.tier, lang),
  )}${item(m.cases.state, caseStateName(kase.state, lang))}${item(m.cases.openedAt, timeTag(kase.openedAt))}${item(
    m.cases.assignee,
    kase.assignee ?? html`<span class="muted">${m.cases.unassigned}</span>`,
  )}${acked}${ackNote}${resolved}${decision}${note}</dl></section>`;
}

function deadlines(kase: CaseDetailView, lang: Lang): SafeHtml {
  const d = messages(lang).caseDetail;
  const rows = CASE_DEADLINES.map((kind) => {
    const deadline = kase.deadlines[kind];
    const raised = deadline.overdueRaisedAt === undefined ? '' : html`<p class="hint">${d.overdueRaised} ${timeTag(deadline.overdueRaisedAt)}</p>`;
    return html`<div><dt>${d.deadlineNames[kind]}</dt><dd>${dueText(deadline, kase.overdue.includes(kind), lang)}${raised}</dd></div>`;
  });
  return html`<section class="card" aria-labelledby="case-deadlines"><h2 id="case-deadlines">${d.deadlines}</h2><dl class="facts">${rows}</dl></section>`;
}

function events(kase: CaseDetailView, lang: Lang): SafeHtml {
  const m = messages(lang);
  const rows = kase.events.map(
    (e) => html`<tr><td>${tierCell(e.tier, lang)}</td><td>${eventTypeName(e.type, lang)} <span class="code">${e.id}</span></td><td>${timeTag(e.detectedAt)}</td><td>${timeTag(
      e.acknowledgedAt,
    )}</td></tr>`,
  );
  return html`<section aria-labelledby="case-events"><h2 id="case-events">${m.caseDetail.events}</h2>${tableWrap(
    html`<table><thead><tr><th scope="col">${m.inbox.tier}</th><th scope="col">${m.inbox.event}</th><th scope="col">${m.inbox.detectedAt}</th><th scope="col">${
      m.inbox.acknowledgement
    }</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

function deliveries(kase: CaseDetailView, lang: Lang): SafeHtml {
  const d = messages(lang).caseDetail;
  const rows =
    kase.deliveries.length === 0
      ? html`<tr><td colspan="6" class="empty">${d.noDeliveries}</td></tr>`
      : kase.deliveries.map(
          (x) => html`<tr><td class="code">${x.eventId}</td><td>${x.channel}</td><td>${x.target}</td><td><span class="${`delivery-${x.status}`}">${d.deliveryStates[x.status]}</span></td><td class="num">${
            x.attempts
          }</td><td class="error-text">${x.lastError ?? '—'}</td></tr>`,
        );
  return html`<section aria-labelledby="case-deliveries"><h2 id="case-deliveries">${d.deliveries}</h2>${tableWrap(
    html`<table><thead><tr><th scope="col">${messages(lang).inbox.event}</th><th scope="col">${d.channel}</th><th scope="col">${d.target}</th><th scope="col">${d.status}</th><th scope="col">${
      d.attempts
    }</th><th scope="col">${d.lastError}</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

function audit(kase: CaseDetailView, lang: Lang): SafeHtml {
  const d = messages(lang).caseDetail;
  const rows =
    kase.audit.length === 0
      ? html`<tr><td colspan="4" class="empty">${d.noAudit}</td></tr>`
      : kase.audit.map(
          (a) => html`<tr><td>${timeTag(a.at)}</td><td>${a.actor}</td><td class="code">${a.action}</td><td><code class="details">${JSON.stringify(a.details)}</code></td></tr>`,
        );
  return html`<section aria-labelledby="case-audit"><h2 id="case-audit">${d.audit}</h2>${tableWrap(
    html`<table><thead><tr><th scope="col">${d.at}</th><th scope="col">${d.actor}</th><th scope="col">${d.action}</th><th scope="col">${d.details}</th></tr></thead><tbody>${rows}</tbody></table>`,
  )}</section>`;
}

export function renderCase(ctx: PageContext, kase: CaseDetailView): string {
  return page(
    ctx,
    messages(ctx.lang).caseDetail.title(kase.id),
    html`<div class="grid">${summary(kase, ctx.lang)}${deadlines(kase, ctx.lang)}</div>${caseForms(ctx, kase)}${events(kase, ctx.lang)}${deliveries(kase, ctx.lang)}${audit(kase, ctx.lang)}`,
  );
}
