import type { ApiTokenRecord, Role } from '../domain/api-tokens.js';

/** The store of API tokens (both dialects behind this one interface). */
export interface TokensRepository {
  /**
   * Stores a new token at `at` (epoch ms).
   * @throws AppError `CONFLICT` when a token that is not revoked already has `name`.
   */
  create(input: { id: string; name: string; role: Role; secretHash: string; at: number }): Promise<ApiTokenRecord>;
  /** The token with this id and its secret's hash (revoked ones too: the caller refuses them). */
  findForVerify(id: string): Promise<{ record: ApiTokenRecord; secretHash: string } | undefined>;
  /** Every token, newest first, revoked ones included. */
  list(): Promise<ApiTokenRecord[]>;
  /** Revokes the token named `name` that is not revoked yet; undefined when there is none. */
  revoke(name: string, at: number): Promise<ApiTokenRecord | undefined>;
  /** Notes a use at `at` (epoch ms); at most one write a minute per token is enough. */
  touch(id: string, at: number): Promise<void>;
}
