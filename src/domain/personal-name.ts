/**
 * A natural person's name (a legal representative's) is personal information (PIPL): shared places
 * (group chats, logs, the log channel) show only its first character, `张*` for 张三 or 张三丰, so the
 * length says nothing either. An empty or missing name stays as it is.
 */
export function maskPersonalName(name: string): string;
export function maskPersonalName(name: string | null): string | null;
export function maskPersonalName(name: string | null): string | null {
  if (name === null) return null;
  const first = new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(name.trim())[Symbol.iterator]().next().value?.segment;
  return first === undefined ? name : `${first}*`;
}

/** The change fields whose values are a natural person's name. */
export const PERSONAL_CHANGE_FIELDS: readonly string[] = ['legalRepresentative'];

/** The change with personal values masked; other changes come back as they are. */
export function maskPersonalChange<T extends { field: string; before: string | null; after: string | null }>(change: T): T {
  if (!PERSONAL_CHANGE_FIELDS.includes(change.field)) return change;
  return { ...change, before: maskPersonalName(change.before), after: maskPersonalName(change.after) };
}
