import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { ApiError } from './errors.ts';

/** the value at an issue's path in what was sent */
function sentAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * zod validation whose failures use the one error shape (400 bad_request) with a readable message:
 * one problem per field (an empty taxonomyId was "required; unknown taxonomy leaf ""), and a field
 * missing or given twice said so in words rather than zod's "expected string, received array".
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const seen = new Set<string>();
      const messages: string[] = [];
      for (const i of result.error.issues) {
        const field = i.path.map(String).join('.');
        if (seen.has(field)) continue;
        seen.add(field);
        const sent = sentAt(result.data, i.path);
        messages.push(
          field && sent === undefined && i.code === 'invalid_type'
            ? `${field} is required`
            : field && Array.isArray(sent) && target === 'query'
              ? `${field} is given more than once`
              : // a schema's own message that names its field ("score must be 1-5") is whole
                `${field && !i.message.startsWith(`${field} `) ? `${field}: ` : ''}${i.message}`,
        );
      }
      throw new ApiError(400, 'bad_request', `invalid ${target}: ${messages.join('; ')}`);
    }
  });
}
