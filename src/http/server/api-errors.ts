/** The API's one error shape, `{"error": {"code", "message"}}`, and how failures map onto it. */
import type { FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAppError, type ErrorCode } from '../../errors.js';

export const API_ERROR_CODES = [
  'INVALID_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INPUT_REJECTED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string() }),
});

/** A failure a route raises on purpose. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const APP_ERRORS: Partial<Record<ErrorCode, [number, ApiErrorCode]>> = {
  USAGE: [400, 'INVALID_REQUEST'],
  INPUT_UNREADABLE: [400, 'INVALID_REQUEST'],
  CONFIG_INVALID: [400, 'INVALID_REQUEST'],
  NOT_FOUND: [404, 'NOT_FOUND'],
  INPUT_REJECTED: [422, 'INPUT_REJECTED'],
  REDIS_UNAVAILABLE: [503, 'UNAVAILABLE'],
  STORE_CONFLICT: [503, 'UNAVAILABLE'],
};

/** Status, code and message for any error a handler threw; unexpected ones say nothing of their insides. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = first?.instancePath ? `${error.validationContext ?? 'request'}${first.instancePath.replaceAll('/', '.')}` : (error.validationContext ?? 'request');
    return new ApiError(400, 'INVALID_REQUEST', `${where}: ${first?.message ?? 'invalid'}`);
  }
  if (isAppError(error)) {
    if ((error.code as string) === 'CONFLICT') return new ApiError(409, 'CONFLICT', error.message);
    const mapped = APP_ERRORS[error.code];
    if (mapped) return new ApiError(mapped[0], mapped[1], error.message);
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ApiErrorCode = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : status === 429 ? 'RATE_LIMITED' : 'INVALID_REQUEST';
    return new ApiError(status, code, (error as Error).message);
  }
  return new ApiError(500, 'INTERNAL', 'internal error (see the server log)');
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send({ error: { code: error.code, message: error.message } });
}
