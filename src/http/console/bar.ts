/** A decorative bar (inline SVG, no inline style, so the CSP needs no exception); the number beside it is the text. */
import { html, type SafeHtml } from './html.js';

/** A bar `value / max` wide, coloured by `className`. Hidden from screen readers: the count is read instead. */
export function bar(value: number, max: number, className: string): SafeHtml {
  const width = max <= 0 ? 0 : Math.round((Math.max(0, value) / max) * 1000) / 10;
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="bar-track" width="100" height="10"></rect><rect class="${className}" width="${width}" height="10"></rect></svg>`;
}
