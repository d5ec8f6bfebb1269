/** API and console tokens: roles and what each may do (DESIGN "HTTP API and web console"). Pure. */

/** Viewers read; analysts also ack, resolve, assign and re-scan; admins also change customers and tokens. */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what needs `needed` (roles are ordered: each has the rights of the ones before). */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A token as stored and listed: never its secret, only the secret's hash (kept by the store). */
export interface ApiTokenRecord {
  /** 16 lowercase hex digits; the public part of the token (`cm_<id>_<secret>`). */
  id: string;
  /** Unique among tokens not revoked; the audit log's actor is `token:<name>`. */
  name: string;
  role: Role;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last request signed in with it; null when never used. */
  lastUsedAt: number | null;
  /** Epoch ms; set once revoked (the row is kept for the audit trail). */
  revokedAt: number | null;
}
