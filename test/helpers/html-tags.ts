/**
 * A strict tokenizer for the console's own HTML: every attribute value is double-quoted and
 * escaped, so a tag ends at the first `>` and any `<` that does not open a tag is a leak. Enough to
 * check forms, scripts and escaping without a DOM.
 */
export interface Tag {
  name: string;
  closing: boolean;
  attrs: Record<string, string>;
  /** Offset in the document. */
  at: number;
}

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>"'/]+(?:="[^"<>]*")?)*)\s*\/?>/;
const ATTR = /([^\s=>"'/]+)(?:="([^"]*)")?/g;

/** The tags of `html`, in order; throws at the first `<` that is not a well-formed tag or the doctype. */
export function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  let at = html.indexOf('<');
  while (at !== -1) {
    const rest = html.slice(at);
    if (rest.startsWith('<!doctype html>')) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    const match = TAG.exec(rest);
    if (match === null) throw new Error(`not a tag at ${String(at)}: ${rest.slice(0, 60)}`);
    const attrs: Record<string, string> = {};
    for (const a of (match[3] ?? '').matchAll(ATTR)) attrs[a[1]!.toLowerCase()] = decode(a[2] ?? '');
    tags.push({ name: match[2]!.toLowerCase(), closing: match[1] === '/', attrs, at });
    at = html.indexOf('<', at + match[0].length);
  }
  return tags;
}

function decode(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Each POST form (method="post") with the tags inside it. */
export function postForms(tags: readonly Tag[]): Array<{ form: Tag; inside: Tag[] }> {
  const forms: Array<{ form: Tag; inside: Tag[] }> = [];
  tags.forEach((tag, i) => {
    if (tag.name !== 'form' || tag.closing || tag.attrs.method?.toLowerCase() !== 'post') return;
    const end = tags.findIndex((t, j) => j > i && t.name === 'form');
    const close = tags[end];
    if (close === undefined || !close.closing) throw new Error(`form at ${String(tag.at)} is not closed before the next form`);
    forms.push({ form: tag, inside: tags.slice(i + 1, end) });
  });
  return forms;
}
