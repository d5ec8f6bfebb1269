/** An event's particulars under its phrase: the entry listed or removed, or the change before → after. */
import type { FieldChange } from '../../domain/events.js';
import { statusLabel } from '../../notify/templates/event-phrases.js';
import type { EventView } from '../../store/event-view.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import { gradeName } from './labels.js';

/** A changed value as a reader knows it: grade and status codes in words, anything else as given. */
function valueText(field: string, value: string | null, lang: Lang): string {
  if (value === null) return messages(lang).common.none;
  if (field === 'grade') return gradeName(value, lang);
  if (field === 'status') return statusLabel(value, lang);
  return value;
}

export function changeDetail(change: FieldChange, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  return html`<dl class="change"><div><dt>${m.before}</dt><dd>${valueText(change.field, change.before, lang)}</dd></div><div><dt>${m.after}</dt><dd>${valueText(
    change.field,
    change.after,
    lang,
  )}</dd></div></dl>`;
}

export function eventDetail(event: EventView, lang: Lang): SafeHtml {
  const m = messages(lang).common;
  const entry = event.entry;
  const entryText =
    entry === undefined
      ? ''
      : html`<p class="entry">${entry.listedOn ?? ''} ${entry.reason}${entry.authority === null ? '' : html` (${entry.authority})`}${
          entry.removedOn === null ? '' : html` → ${entry.removedOn} ${entry.removalReason ?? ''}`
        }</p>`;
  return html`${entryText}${event.change === undefined ? '' : changeDetail(event.change, lang)}${event.baseline ? html` <span class="tag">${m.baseline}</span>` : ''}`;
}
