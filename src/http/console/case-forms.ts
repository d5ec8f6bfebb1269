/** The case page's forms (acknowledge, assign, resolve): analysts and above, while the case is not resolved. */
import type { CaseDetailView } from '../../app/case-view.js';
import { roleAllows } from '../../domain/api-tokens.js';
import { casePath } from './components.js';
import { postForm, selectField, textAreaField, textField } from './forms.js';
import { html, type SafeHtml } from './html.js';
import { messages } from './i18n.js';
import { decisionOptions } from './labels.js';
import type { PageContext } from './page-data.js';

export function caseForms(ctx: PageContext, kase: CaseDetailView): SafeHtml | '' {
  if (!roleAllows(ctx.role, 'analyst') || kase.state === 'resolved') return '';
  const m = messages(ctx.lang).caseDetail;
  const base = casePath(kase.id);
  const ack =
    kase.state === 'open'
      ? postForm(
          { action: `${base}/ack`, csrfToken: ctx.csrfToken, className: 'card', label: m.ackForm },
          html`<h2>${m.ackForm}</h2>${textField({ id: 'ack-note', name: 'note', label: m.ackNote })}<button type="submit">${m.ackSubmit}</button>`,
        )
      : '';
  const assign = postForm(
    { action: `${base}/assign`, csrfToken: ctx.csrfToken, className: 'card', label: m.assignForm },
    html`<h2>${m.assignForm}</h2>${textField({ id: 'assignee', name: 'assignee', label: m.assigneeLabel, value: kase.assignee ?? '', required: true })}<button type="submit">${
      m.assignSubmit
    }</button>`,
  );
  const resolve = postForm(
    { action: `${base}/resolve`, csrfToken: ctx.csrfToken, className: 'card', label: m.resolveForm },
    html`<h2>${m.resolveForm}</h2>${selectField({ id: 'decision', name: 'decision', label: m.decisionLabel, options: decisionOptions(ctx.lang), required: true })}${textAreaField({
      id: 'resolve-note',
      name: 'note',
      label: m.resolveNote,
      required: true,
    })}<button type="submit">${m.resolveSubmit}</button>`,
  );
  return html`<div class="grid forms">${ack}${assign}${resolve}</div>`;
}
