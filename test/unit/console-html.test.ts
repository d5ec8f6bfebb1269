import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '../../src/http/console/html.js';

describe('html template', () => {
  it.each([
    { name: 'script element', value: '<script>alert(1)</script>', out: '&lt;script&gt;alert(1)&lt;/script&gt;' },
    { name: 'image with handler', value: '<img src=x onerror=alert(1)>', out: '&lt;img src=x onerror=alert(1)&gt;' },
    { name: 'double-quote attribute break', value: '" onmouseover="alert(1)', out: '&quot; onmouseover=&quot;alert(1)' },
    { name: 'single-quote attribute break', value: "' autofocus onfocus='alert(1)", out: '&#39; autofocus onfocus=&#39;alert(1)' },
    { name: 'backtick', value: '`x`', out: '&#96;x&#96;' },
    { name: 'ampersand entity', value: '&lt;b&gt; & co', out: '&amp;lt;b&amp;gt; &amp; co' },
    { name: 'plain Chinese text', value: '示例贸易有限公司', out: '示例贸易有限公司' },
  ])('escapes $name', ({ value, out }) => {
    expect(html`<p title="${value}">${value}</p>`.value).toBe(`<p title="${out}">${out}</p>`);
    expect(escapeHtml(value)).toBe(out);
  });

  it('keeps a quoted attribute closed whatever the value', () => {
    const value = '"><script>alert(1)</script><a href="';
    const out = html`<a href="/customers/${value}">x</a>`.value;
    expect(out).not.toContain('<script');
    expect(out.match(/"/g)).toHaveLength(2);
  });

  it('keeps fragments built by html and raw, and escapes strings that look like them', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${raw('<br>')}${'<br>'}</p>`.value).toBe('<p><b>&lt;i&gt;</b><br>&lt;br&gt;</p>');
  });

  it('joins arrays and escapes their items', () => {
    expect(html`<ul>${['<a>', html`<li>ok</li>`, ['&', 2]]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li>&amp;2</ul>');
  });

  it('drops null, undefined and booleans (for cond && html``) and prints numbers', () => {
    const hidden = false as boolean;
    expect(html`<p>${null}${undefined}${hidden && html`<b>no</b>`}${true}${0}${3.5}</p>`.value).toBe('<p>03.5</p>');
  });

  it('is safe text when stringified', () => {
    expect(String(html`<p>${'<x>'}</p>`)).toBe('<p>&lt;x&gt;</p>');
  });
});
