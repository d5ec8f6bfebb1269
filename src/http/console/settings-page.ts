/** `/settings`: what the daemon runs with, read-only and without a secret in sight. */
import { GRADES } from '../../domain/grades.js';
import { OPTIONAL_SECTION_NAMES } from '../../domain/sections.js';
import { fact, tableWrap } from './components.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { gradeName, sectionName, sourceName, tierName } from './labels.js';
import { page } from './layout.js';
import type { PageContext, SettingsData } from './page-data.js';

/**
 * A URL reduced to its scheme, host and port: credentials ride in the userinfo, the query (`key=`,
 * `access_token=`) and even the path (a Feishu hook), so none of those is shown.
 */
export function publicOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '—';
  }
  if (parsed.origin === 'null') return '—';
  const more = (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.hash !== '';
  return `${parsed.origin}${more ? '/…' : ''}`;
}

function every(ms: number, lang: Lang): string {
  const d = messages(lang).durations;
  if (ms % 86_400_000 === 0) return d.days(ms / 86_400_000);
  if (ms % 3_600_000 === 0) return d.hours(ms / 3_600_000);
  return d.minutes(Math.round(ms / 60_000));
}

function provider(data: SettingsData, lang: Lang): SafeHtml {
  const m = messages(lang);
  const s = m.settings;
  const p = data.provider;
  const sections = OPTIONAL_SECTION_NAMES.map((name) => html`<li>${sectionName(name, lang)}: ${p.sections[name] ? m.common.on : m.common.off}</li>`);
  return html`<section class="card" aria-labelledby="s-provider"><h2 id="s-provider">${s.provider}</h2><dl class="facts">${fact(s.kind, sourceName(p.kind, lang), lang)}${fact(
    s.url,
    p.url === null ? s.builtIn : html`<span class="code">${publicOrigin(p.url)}</span>`,
    lang,
  )}${fact(s.rate, s.ratePerSecond(p.ratePerSecond), lang)}${fact(s.timeout, s.milliseconds(p.timeoutMs), lang)}${fact(
    s.dailyCallBudget,
    p.dailyCallBudget === null ? s.unlimited : String(p.dailyCallBudget),
    lang,
  )}${fact(s.sections, html`<ul class="plain">${sections}</ul>`, lang)}</dl></section>`;
}

function channels(data: SettingsData, lang: Lang): SafeHtml {
  const s = messages(lang).settings;
  const tiers = (list: readonly Parameters<typeof tierName>[0][]): string => (list.length === 0 ? messages(lang).common.none : list.map((t) => tierName(t, lang)).join(', '));
  const hooks =
    data.webhooks.length === 0
      ? html`<p>${s.noWebhooks}</p>`
      : tableWrap(
          html`<table><thead><tr><th scope="col">${s.name}</th><th scope="col">${s.url}</th></tr></thead><tbody>${data.webhooks.map(
            (w) => html`<tr><td>${w.name}</td><td class="code">${publicOrigin(w.url)}</td></tr>`,
          )}</tbody></table>`,
        );
  const e = data.email;
  return html`<section class="card" aria-labelledby="s-channels"><h2 id="s-channels">${s.channels}</h2><h3>${s.webhooks}</h3>${hooks}<h3>${s.email}</h3><dl class="facts">${fact(
    s.email,
    e.configured ? s.emailConfigured : s.emailNotConfigured,
    lang,
  )}${fact(s.recipients, String(e.recipients), lang)}${fact(s.immediateTiers, tiers(e.immediateTiers), lang)}${fact(s.digestTiers, tiers(e.digestTiers), lang)}${fact(
    s.digestTime,
    e.digestTime,
    lang,
  )}</dl></section>`;
}

function schedule(data: SettingsData, lang: Lang): SafeHtml {
  const m = messages(lang);
  const s = m.settings;
  const base = data.schedule.cron === null ? every(data.schedule.intervalMs, lang) : s.everyCron(data.schedule.cron);
  const rows = GRADES.map((g) => {
    const ms = data.schedule.byGradeMs[g];
    return fact(gradeName(g, lang), ms === undefined ? `${s.defaultSchedule} (${base})` : every(ms, lang), lang);
  });
  const openAt = data.casesOpenAt === null ? s.noCases : s.openAtTier(tierName(data.casesOpenAt, lang));
  return html`<section class="card" aria-labelledby="s-schedule"><h2 id="s-schedule">${s.schedule}</h2><dl class="facts">${fact(s.defaultSchedule, base, lang)}${rows}</dl><h3>${
    s.cases
  }</h3><dl class="facts">${fact(s.openAt, openAt, lang)}${fact(s.language, s.languages[data.language], lang)}</dl></section>`;
}

export function renderSettings(ctx: PageContext, data: SettingsData): string {
  const s = messages(ctx.lang).settings;
  return page(ctx, s.title, html`<p>${s.intro}</p><div class="grid">${provider(data, ctx.lang)}${channels(data, ctx.lang)}${schedule(data, ctx.lang)}</div>`);
}
