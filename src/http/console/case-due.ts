/** A case's deadline as shown: the day and time it falls due, marked provisional and overdue. */
import type { DeadlineView } from '../../app/case-view.js';
import { timeTag } from './components.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';

export function provisionalMark(lang: Lang): SafeHtml {
  const m = messages(lang).common;
  return html` <abbr class="tag provisional" title="${m.provisionalHint}">${m.provisional}</abbr>`;
}

export function overdueMark(lang: Lang): SafeHtml {
  return html` <span class="badge overdue">${messages(lang).common.overdue}</span>`;
}

export function dueText(deadline: DeadlineView, overdue: boolean, lang: Lang): SafeHtml {
  return html`${timeTag(deadline.dueAt)}${deadline.provisional ? provisionalMark(lang) : ''}${overdue ? overdueMark(lang) : ''}`;
}
