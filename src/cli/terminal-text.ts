/**
 * Text from outside (a provider's company name, an operator's note) on its way to a terminal line.
 * Control characters (C0, DEL, C1: newlines, ESC of ANSI sequences, NUL), the line and paragraph
 * separators and the bidirectional controls are shown as `\u{…}` escapes, so that data can neither
 * break a line, forge another one, recolour the terminal nor reorder what the operator reads.
 * The stored value is untouched (it is the provider's evidence); JSON and CSV output escape or quote
 * on their own.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`);
}
