/** Form parts: every POST form is built by postForm, so none can lack its CSRF field. */
import { html, type HtmlValue, type SafeHtml } from './html.js';

/** The hidden field the server checks on every form post. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export interface PostFormOptions {
  action: string;
  csrfToken: string;
  className?: string;
  /** `multipart/form-data` for file uploads. */
  enctype?: string;
  /** An accessible name for the form (a landmark once named). */
  label?: string;
}

export function postForm(options: PostFormOptions, body: HtmlValue): SafeHtml {
  return html`<form method="post" action="${options.action}"${options.className === undefined ? '' : html` class="${options.className}"`}${
    options.enctype === undefined ? '' : html` enctype="${options.enctype}"`
  }${options.label === undefined ? '' : html` aria-label="${options.label}"`}>${csrfField(options.csrfToken)}${body}</form>`;
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select; `selected` undefined selects the first option. */
export function selectField(field: { id: string; name: string; label: string; options: readonly Option[]; selected?: string | undefined; required?: boolean }): SafeHtml {
  const options = field.options.map((o) => html`<option value="${o.value}"${o.value === field.selected ? ' selected' : ''}>${o.label}</option>`);
  return html`<div class="field"><label for="${field.id}">${field.label}</label><select id="${field.id}" name="${field.name}"${field.required === true ? ' required' : ''}>${options}</select></div>`;
}

/** A labelled text input. */
export function textField(field: {
  id: string;
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'search' | 'password';
  required?: boolean;
  autocomplete?: string;
  hint?: string;
}): SafeHtml {
  const hintId = `${field.id}-hint`;
  return html`<div class="field"><label for="${field.id}">${field.label}</label><input id="${field.id}" name="${field.name}" type="${field.type ?? 'text'}"${
    field.value === undefined ? '' : html` value="${field.value}"`
  }${field.required === true ? ' required' : ''}${field.autocomplete === undefined ? '' : html` autocomplete="${field.autocomplete}"`}${
    field.hint === undefined ? '' : html` aria-describedby="${hintId}"`
  }>${field.hint === undefined ? '' : html`<p class="hint" id="${hintId}">${field.hint}</p>`}</div>`;
}

/** A labelled textarea. */
export function textAreaField(field: { id: string; name: string; label: string; required?: boolean; rows?: number }): SafeHtml {
  return html`<div class="field"><label for="${field.id}">${field.label}</label><textarea id="${field.id}" name="${field.name}" rows="${field.rows ?? 3}"${
    field.required === true ? ' required' : ''
  }></textarea></div>`;
}
