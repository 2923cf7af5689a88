import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from './api-types.ts';

/** An error a client can act on; rendered as `{error:{code,message}}` with its status. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', what);

/** A client's value as an error message quotes it: at most `max` characters, never half an emoji. */
export const clipped = (value: string, max = 80) =>
  value.length > max ? `${value.slice(0, max).replace(/\p{Cs}$/u, '')}…` : value;

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function handleError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException)
    return c.json(errorBody('http_error', err.message || 'request failed'), err.status);
  console.error(err);
  return c.json(errorBody('internal', 'internal server error'), 500);
}
