/** The customer page's registration and list sections (provider text: every value escaped). */
import { formatMoney } from '../../domain/capital.js';
import { listName } from '../../domain/grade-text.js';
import type { AnyListSection } from '../../domain/snapshot.js';
import { statusLabel } from '../../notify/templates/event-phrases.js';
import type { EntryView } from '../../cli/customer-view.js';
import { fact, tableWrap, timeTag } from './components.js';
import { html, type SafeHtml } from './html.js';
import { messages, type Lang } from './i18n.js';
import type { CustomerPageData } from './page-data.js';

export function registrationSection(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  const readAt = data.snapshotAt === null ? '' : html`<p class="hint">${m.readAt} ${timeTag(data.snapshotAt)}</p>`;
  const r = data.registration;
  let body: SafeHtml;
  if (r === null) body = html`<p>${m.notRead}</p>`;
  else if ('notFound' in r) body = html`<p class="alarm">${m.notFound}</p>`;
  else {
    const f = m.fields;
    body = html`<dl class="facts">${fact(f.name, r.name, lang)}${fact(f.status, html`${statusLabel(r.status, lang)} <span class="muted">(${r.statusRaw})</span>`, lang)}${fact(
      f.legalRepresentative,
      r.legalRepresentative,
      lang,
    )}${fact(f.registeredCapital, r.registeredCapital === null ? null : formatMoney(r.registeredCapital), lang)}${fact(f.address, r.address, lang)}${fact(
      f.establishedOn,
      r.establishedOn,
      lang,
    )}${fact(f.businessScope, r.businessScope, lang)}</dl>`;
  }
  return html`<section class="card" aria-labelledby="registration"><h2 id="registration">${m.registration}</h2>${readAt}${body}</section>`;
}

function entryRow(entry: EntryView, state: string): SafeHtml {
  const none = html`<span class="muted">—</span>`;
  return html`<tr><td class="nowrap">${state}</td><td class="nowrap">${entry.listedOn ?? none}</td><td>${entry.reason}</td><td>${entry.authority ?? none}</td><td class="nowrap">${entry.removedOn ?? none}</td><td>${
    entry.removalReason ?? none
  }</td></tr>`;
}

export function listsSection(data: CustomerPageData, lang: Lang): SafeHtml {
  const m = messages(lang).customer;
  const lists = Object.entries(data.lists) as Array<[AnyListSection, { inForce: EntryView[]; removed: EntryView[] }]>;
  const blocks = lists.map(([section, list], i) => {
    const id = `list-${String(i)}`;
    const rows = [...list.inForce.map((e) => entryRow(e, m.inForce)), ...list.removed.map((e) => entryRow(e, m.removedEntries))];
    const table =
      rows.length === 0
        ? html`<p class="muted">${m.noEntries}</p>`
        : tableWrap(
            html`<table aria-labelledby="${id}"><thead><tr><th scope="col"><span class="sr-only">${m.inForce}</span></th><th scope="col">${m.listedOn}</th><th scope="col">${m.reason}</th><th scope="col">${
              m.authority
            }</th><th scope="col">${m.removedOn}</th><th scope="col">${m.removalReason}</th></tr></thead><tbody>${rows}</tbody></table>`,
          );
    return html`<h3 id="${id}">${listName(section, lang)}${list.inForce.length > 0 ? html` <span class="badge alarm-badge">${m.inForce} ${list.inForce.length}</span>` : ''}</h3>${table}`;
  });
  return html`<section aria-labelledby="lists"><h2 id="lists">${m.lists}</h2>${blocks.length === 0 ? html`<p>${m.noListRead}</p>` : blocks}</section>`;
}
