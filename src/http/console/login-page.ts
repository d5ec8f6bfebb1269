/** `/login`: one token field. */
import { postForm, textField } from './forms.js';
import { html } from './html.js';
import { messages } from './i18n.js';
import { bareDocument } from './layout.js';
import type { LoginData } from './page-data.js';

export function renderLogin(data: LoginData): string {
  const m = messages(data.lang).login;
  const error = data.error === undefined ? '' : html`<p class="error" role="alert">${data.error}</p>`;
  const form = postForm(
    { action: '/login', csrfToken: data.csrfToken, className: 'login' },
    html`${textField({ id: 'token', name: 'token', label: m.tokenLabel, type: 'password', required: true, autocomplete: 'current-password', hint: m.tokenHint })}${data.next === undefined ? '' : html`<input type="hidden" name="next" value="${data.next}">`}<button type="submit">${m.submit}</button>`,
  );
  return bareDocument(data.lang, m.title, html`<p>${m.intro}</p>${error}${form}`, { path: '/login', query: data.query ?? '' });
}
