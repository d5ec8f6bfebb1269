/** `/customers/{uscc}`: one customer whole, with its timeline and the re-scan button. */
import { roleAllows } from '../../domain/api-tokens.js';
import { strategyFields } from '../../domain/strategy-text.js';
import type { EventView } from '../../store/event-view.js';
import { dueText } from './case-due.js';
import { caseLink, customerPath, fact, gradeBadge, href, tierBadge, timeTag } from './components.js';
import { listsSection, registrationSection } from './customer-sections.js';
import { eventDetail } from './event-detail.js';
import { postForm } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { caseStateName, eventViewPhrase } from './labels.js';
import { page } from './layout.js';
import type { CustomerPageData, PageContext } from './page-data.js';

function monitoring(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang);
  const c = data.customer;
  const state = c.removedAt !== null ? m.customer.removed : c.paused ? m.customer.paused : null;
  return html`<section class="card" aria-labelledby="monitoring"><h2 id="monitoring">${m.customer.monitoring}</h2>${state === null ? '' : html`<p class="tag">${state}</p>`}<dl class="facts">${fact(
    m.customer.tags,
    c.tags.length === 0 ? null : html`${c.tags.map((t) => html`<span class="tag">${t}</span> `)}`,
    lang,
  )}${fact(m.customer.lastCheckedAt, c.lastCheckedAt === null ? m.common.never : timeTag(c.lastCheckedAt), lang)}${fact(
    m.customer.nextCheckAt,
    c.nextCheckAt === null ? m.customer.dueNow : timeTag(c.nextCheckAt),
    lang,
  )}${fact(m.customer.consecutiveFailures, String(c.consecutiveFailures), lang)}${c.lastError === null ? '' : fact(m.customer.lastError, html`<span class="error-text">${c.lastError}</span>`, lang)}</dl></section>`;
}

function grade(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  const g = data.grade;
  const now = g.now === undefined ? '' : html`<p class="warning">${m.gradeNow} ${g.now.text}${m.gradeNowNote}</p>`;
  const skipped = g.skipped.length === 0 ? '' : html`<h3>${m.skipped}</h3><ul>${g.skipped.map((s) => html`<li>${s.text}</li>`)}</ul>`;
  const strategy = strategyFields(data.strategy, lang).map((f) => fact(f.label, f.value, lang));
  return html`<section class="card" aria-labelledby="grade"><h2 id="grade">${m.grade}</h2><p class="figure">${gradeBadge(g.grade, lang)}</p><dl class="facts">${fact(
    m.rule,
    g.rule === null ? null : html`<code>${g.rule}</code>`,
    lang,
  )}${fact(m.gradedAt, g.gradedAt === null ? null : timeTag(g.gradedAt), lang)}</dl>${now}${skipped}<h3>${m.strategy}</h3><dl class="facts">${strategy}</dl></section>`;
}

function openCase(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  const k = data.openCase;
  const body =
    k === null
      ? html`<p>${m.noOpenCase}</p>`
      : html`<p>${caseLink(k.id)} ${tierBadge(k.tier, lang)} ${caseStateName(k.state, lang)}</p>${
          k.state === 'resolved' ? '' : html`<p>${dueText(k.deadlines[k.state === 'open' ? 'acknowledge' : 'resolve'], k.overdue.length > 0, lang)}</p>`
        }`;
  return html`<section class="card" aria-labelledby="open-case"><h2 id="open-case">${m.openCase}</h2>${body}</section>`;
}

function timelineItem(event: EventView, lang: Lang): SafeHtml {
  const acked = event.acknowledgedAt === undefined ? '' : html`<p class="hint">${messages(lang).inbox.acknowledgedBy(event.acknowledgedBy ?? '')} ${timeTag(event.acknowledgedAt)}</p>`;
  return html`<li class="${`tl tl-${event.tier}`}"><p class="tl-head">${timeTag(event.detectedAt)} ${tierBadge(event.tier, lang)} <span class="phrase">${eventViewPhrase(event, lang)}</span>${
    event.caseId === undefined ? '' : html` ${caseLink(event.caseId)}`
  }</p>${eventDetail(event, lang)}${acked}</li>`;
}

function timeline(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  const events = data.recentEvents;
  const list = events.length === 0 ? html`<p>${m.noEvents}</p>` : html`<ol class="timeline">${events.map((e) => timelineItem(e, lang))}</ol>`;
  return html`<section aria-labelledby="timeline"><h2 id="timeline">${m.timeline}</h2>${list}<p><a href="${href('/inbox', { uscc: data.customer.uscc, state: 'all' })}">${m.allEvents}</a></p></section>`;
}

function rescan(ctx: PageContext, data: CustomerPageData): SafeHtml | '' {
  if (!roleAllows(ctx.role, 'analyst') || data.customer.removedAt !== null) return '';
  const m = messages(ctx.lang).customer;
  return postForm(
    { action: `${customerPath(data.customer.uscc)}/rescan`, csrfToken: ctx.csrfToken, className: 'inline-actions', label: m.rescan },
    html`<button type="submit">${m.rescan}</button><span class="hint">${m.rescanHint}</span>`,
  );
}

export function renderCustomer(ctx: PageContext, data: CustomerPageData): string {
  const lang = ctx.lang;
  const head = html`<p class="subtitle"><span class="code">${data.customer.uscc}</span> ${gradeBadge(data.grade.grade, lang)}</p>${rescan(ctx, data)}`;
  return page(
    ctx,
    data.customer.name,
    html`${head}<div class="grid">${registrationSection(data, lang)}${grade(data, lang)}${monitoring(data, lang)}${openCase(data, lang)}</div>${listsSection(data, lang)}${timeline(data, lang)}`,
  );
}
