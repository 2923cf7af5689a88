import { describe, expect, it } from 'vitest';
import { ApiError, errorFromBody } from '../../api/client.ts';
import { CANCELLED_MESSAGE, estimateQuery, isCancelled, lineError } from './upload.ts';

describe('estimate upload helpers', () => {
  it('builds the query', () => {
    expect(estimateQuery({ vertical: 'ecommerce', name: '  Acme & Co ', save: true })).toEqual({
      vertical: 'ecommerce',
      name: 'Acme & Co',
      save: '1',
    });
    expect(estimateQuery({ vertical: 'other', name: '', save: false })).toEqual({ vertical: 'other' });
    expect(estimateQuery({ vertical: 'other', name: 'x'.repeat(200), save: false }).name).toHaveLength(120);
  });

  it('turns HTTP error bodies into ApiErrors with the server message', () => {
    const e = errorFromBody(
      413,
      'Payload Too Large',
      '{"error":{"code":"too_large","message":"the file is too large"}}',
    );
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([413, 'too_large', 'the file is too large']);
    const html = errorFromBody(502, 'Bad Gateway', '<html>');
    expect([html.code, html.message]).toEqual(['http_error', 'The server answered 502 Bad Gateway']);
  });

  it('turns error lines into ApiErrors with their line, and recognises cancellation', () => {
    expect(lineError({ type: 'progress', bytes: 1, totalBytes: 2, records: 0 })).toBeNull();
    const e = lineError({
      type: 'error',
      status: 422,
      error: { code: 'unknown_format', message: 'could not recognise the format' },
      line: 7,
    })!;
    expect([e.status, e.code, e.message]).toEqual([
      422,
      'unknown_format',
      'could not recognise the format (line 7)',
    ]);
    const aborted = lineError({
      type: 'error',
      status: 499,
      error: { code: 'aborted', message: 'import cancelled' },
    });
    expect(aborted?.message).toBe(CANCELLED_MESSAGE);
    expect(isCancelled(aborted)).toBe(true);
    expect(isCancelled(e)).toBe(false);
    expect(isCancelled(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
  });
});
