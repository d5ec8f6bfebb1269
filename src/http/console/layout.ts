/**
 * The whole document around every page: head (our CSS and htmx only, nothing from outside), the
 * skip link, the nav, who is signed in, the language switch and the sign-out form.
 */
import { csrfField } from './forms.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { roleName } from './labels.js';
import type { PageContext } from './page-data.js';

export type { PageContext };

const NAV = [
  { path: '/', key: 'overview' },
  { path: '/inbox', key: 'inbox' },
  { path: '/cases', key: 'cases' },
  { path: '/customers', key: 'customers' },
  { path: '/import', key: 'import' },
  { path: '/settings', key: 'settings' },
] as const;

// htmx would otherwise add an inline <style> (refused by the CSP) and could evaluate code from
// attributes; the console needs neither.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

/** The current page in the other language: the same path and query with `lang` switched. */
export function languageSwitch(lang: Lang, path: string, query: string): SafeHtml {
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  params.set('lang', other);
  return html`<a class="lang-switch" href="${`${path}?${params.toString()}`}" lang="${other}" hreflang="${other}">${messages(lang).common.switchLanguage}</a>`;
}

function isCurrent(navPath: string, path: string): boolean {
  return navPath === '/' ? path === '/' : path === navPath || path.startsWith(`${navPath}/`);
}

function head(lang: Lang, title: string): SafeHtml {
  return html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="htmx-config" content="${HTMX_CONFIG}"><title>${title} · ${
    messages(lang).common.appName
  }</title><link rel="stylesheet" href="/assets/console.css"><script src="/assets/htmx.min.js" defer></script></head>`;
}

/** A document without the signed-in parts (sign-in page, errors before sign-in). */
export function bareDocument(lang: Lang, title: string, body: HtmlValue, switchTo: { path: string; query: string }): string {
  const m = messages(lang).common;
  return html`<!doctype html><html lang="${lang}">${head(lang, title)}<body class="bare"><a class="skip-link" href="#main">${m.skipToContent}</a><header class="top"><div class="brand">${
    m.appName
  }</div><div class="account">${languageSwitch(lang, switchTo.path, switchTo.query)}</div></header><main id="main" tabindex="-1"><h1>${title}</h1>${body}</main></body></html>`.value;
}

/** A full console page: `body` goes into <main> under an <h1> of `title`. */
export function page(ctx: PageContext, title: string, body: HtmlValue): string {
  const m = messages(ctx.lang);
  const nav = NAV.map(
    (item) => html`<li><a href="${item.path}"${isCurrent(item.path, ctx.path) ? html` aria-current="page"` : ''}>${m.nav[item.key]}</a></li>`,
  );
  const notice = ctx.notice === undefined || ctx.notice === '' ? '' : html`<p class="notice" role="status">${ctx.notice}</p>`;
  return html`<!doctype html><html lang="${ctx.lang}">${head(ctx.lang, title)}<body hx-headers="${JSON.stringify({ 'x-csrf-token': ctx.csrfToken })}"><a class="skip-link" href="#main">${
    m.common.skipToContent
  }</a><header class="top"><div class="brand">${m.common.appName}</div><nav class="main-nav" aria-label="${m.common.mainNav}"><ul>${nav}</ul></nav><div class="account"><span class="who">${m.common.signedInAs(
    ctx.tokenName,
    roleName(ctx.role, ctx.lang),
  )}</span>${languageSwitch(ctx.lang, ctx.path, ctx.query)}<form method="post" action="/logout" class="inline">${csrfField(ctx.csrfToken)}<button type="submit" class="link-button">${
    m.common.signOut
  }</button></form></div></header><main id="main" tabindex="-1">${notice}<h1>${title}</h1>${body}</main><footer class="foot"><p>${m.common.timesNote}</p></footer></body></html>`.value;
}
