/**
 * Makes outside text (a receiver's response body, an SMTP server's reply) safe for an error
 * column and a log line: control characters and runs of white space become one space, and the
 * result is cut to `maxChars` (default 200) with an ellipsis.
 */
export function oneLine(text: string, maxChars = 200): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point.
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1)}…`;
}
