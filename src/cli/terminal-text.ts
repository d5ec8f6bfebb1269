/**
 * Text from outside (a provider's company name, an operator's note, a webhook receiver's answer) on
 * its way to a terminal line. Control characters (C0, DEL, C1: newlines, ESC and CSI of ANSI
 * sequences, NEL, NUL), the line and paragraph separators and the bidirectional controls (LRM, RLM,
 * ALM, embeddings, overrides, isolates) are shown as `\uXXXX` escapes, so that data can neither
 * break a line, forge another one, recolour the terminal nor reorder what the operator reads.
 *
 * The escape is JSON's own: a compact JSON document (no raw C0 in it: JSON.stringify escapes those)
 * passed through here stays valid JSON and parses back to the same value, so every line the CLI
 * prints, text or `--json`, goes through this one function (see `CliContext.out`). The stored value
 * is untouched (it is the provider's evidence).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}
