/**
 * Removes the credentials a target URL carries (its password and query values, e.g. `?token=…`,
 * a robot's `key=…`) from text a receiver sent back: an error page that echoes the request line must
 * not put the credential into `status`, the outbox's last error or a log line.
 */
export function redactUrlSecrets(text: string, url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const secrets = [parsed.password, ...[...parsed.searchParams.values()]]
    .filter((value) => value.length >= 4)
    // Longest first, so that a secret containing another is removed whole.
    .sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) redacted = redacted.split(form).join('***');
  }
  return redacted;
}
