import { describe, expect, it } from 'vitest';
import { amountOf, validateAccount, validateConversation } from '../server/domain/validate.ts';

describe('an account’s ARR as exports write it', () => {
  it('reads numbers, grouped thousands and a currency mark; blank is no ARR', () => {
    expect(amountOf(120000)).toBe(120000);
    expect(amountOf('120000')).toBe(120000);
    expect(amountOf('1,200')).toBe(1200);
    expect(amountOf('$ 1,200.50')).toBe(1200.5);
    expect(amountOf('USD 98 000')).toBe(98000);
    expect(amountOf('98\u00a0000')).toBe(98000);
    expect(amountOf('1,234,567.89 USD')).toBe(1234567.89);
    expect(amountOf('')).toBeNull();
    expect(amountOf('   ')).toBeNull();
    expect(amountOf(null)).toBeNull();
  });

  it('refuses what is not an amount instead of guessing one', () => {
    for (const v of [
      '0x10',
      '1e3',
      '1.200,50',
      '1,2345',
      '1,234 567',
      'abc',
      '-3',
      '$',
      true,
      [5],
      -3,
      Number.NaN,
    ])
      expect(amountOf(v), JSON.stringify(v)).toBeUndefined();
  });

  it('keeps an account whose ARR is written "1,200", and says why a bad one is refused', () => {
    expect(validateAccount({ id: 'acc-c', name: 'Comma, Inc.', arr: '1,200' })).toMatchObject({
      ok: true,
      value: { arr: 1200 },
    });
    expect(validateAccount({ id: 'acc-d', name: 'Dee', arr: ' ' })).toMatchObject({
      ok: true,
      value: { arr: null },
    });
    expect(validateAccount({ id: 'acc-e', name: 'Hex', arr: '0x10' })).toEqual({
      ok: false,
      reason: 'arr must be a non-negative amount in USD, got "0x10"',
    });
  });
});

describe('ids written as numbers', () => {
  it('takes a numeric accountId as the account whose id is that number', () => {
    expect(validateAccount({ id: 7, name: 'Seven' })).toMatchObject({ ok: true, value: { id: '7' } });
    const v = validateConversation({
      id: 1,
      accountId: 7,
      createdAt: '2026-03-01T10:00:00Z',
      channel: 'chat',
      aiInvolved: false,
      messages: [{ role: 'customer', text: 'where is my order' }],
    });
    expect(v).toMatchObject({ ok: true, value: { id: '1', accountId: '7' } });
  });
});

describe('ids too large for a JSON number', () => {
  it('refuses a numeric accountId JSON has already rounded, instead of merging accounts', () => {
    // what JSON.parse makes of a 64-bit id written without quotes
    const rounded = JSON.parse('{"accountId": 1234567890123456789}').accountId as number;
    const v = validateConversation({
      id: 'c1',
      accountId: rounded,
      createdAt: '2026-03-01T10:00:00Z',
      channel: 'chat',
      aiInvolved: false,
      messages: [],
    });
    expect(v).toEqual({
      ok: false,
      reason: 'field "accountId" is a number JSON cannot hold exactly: write the id in quotes',
    });
  });
});
