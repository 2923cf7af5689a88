import { describe, expect, it } from 'vitest';
import { errorCode } from './QueryState.tsx';

describe('errorCode', () => {
  it('shows a lost connection once, not "network · network"', () => {
    expect(errorCode({ status: 0, code: 'network' })).toBe('network');
  });

  it('keeps the status beside a code that differs', () => {
    expect(errorCode({ status: 503, code: 'unavailable' })).toBe('503 · unavailable');
    expect(errorCode({ status: 0, code: 'timeout' })).toBe('network · timeout');
    expect(errorCode({ status: 500, code: '' })).toBe('500');
  });
});
