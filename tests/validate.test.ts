import { describe, expect, it } from 'vitest';
import {
  amountOf,
  validateAccount,
  validateConversation,
  validateIntervention,
} from '../server/domain/validate.ts';

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

describe('an account as exports spell it', () => {
  it('stores SPEC’s verticals however written, a status in any case, and says an empty name is empty', () => {
    const vertical = (v: unknown) => {
      const r = validateAccount({ id: 'a', name: 'A', vertical: v });
      return r.ok ? r.value.vertical : r.reason;
    };
    expect(
      ['E-Commerce', 'ecommerce', ' ECOMMERCE ', 'e_commerce', 'Fin Tech', 'SaaS'].map(vertical),
    ).toEqual(['ecommerce', 'ecommerce', 'ecommerce', 'ecommerce', 'fintech', 'saas']);
    // another vertical is kept as written, lower-cased; none is "other"
    expect(['Real Estate', '', null].map(vertical)).toEqual(['real estate', 'other', 'other']);
    expect(validateAccount({ id: 'a', name: 'A', status: 'Customer' })).toMatchObject({
      ok: true,
      value: { status: 'customer' },
    });
    expect(validateAccount({ id: 'a', name: 'A', status: 'lead' })).toEqual({
      ok: false,
      reason: 'unknown status "lead" (expected customer or prospect)',
    });
    expect(validateAccount({ id: 'a', name: ' ' })).toEqual({ ok: false, reason: 'field "name" is empty' });
    expect(validateAccount({ id: 'a' })).toEqual({ ok: false, reason: 'missing required field "name"' });
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

describe('the plausible window holds for every timestamp (SPEC §2)', () => {
  const window = {
    notBeforeMs: Date.parse('2000-01-01T00:00:00Z'),
    notAfterMs: Date.parse('2026-12-08T00:00:00Z'),
  };
  const conversation = (at: string) => ({
    id: 'c1',
    accountId: 'acme',
    createdAt: '2026-08-03T10:00:00Z',
    channel: 'chat',
    aiInvolved: false,
    aiResolutionState: null,
    messages: [
      { role: 'customer', text: 'where is my order', at: '2026-08-03T10:00:00Z' },
      { role: 'agent', text: 'on its way', at },
    ],
  });

  it('rejects a message dated outside it, naming the message', () => {
    expect(validateConversation(conversation('2026-08-03T10:05:00Z'), window).ok).toBe(true);
    expect(validateConversation(conversation('1970-01-01T00:00:00Z'), window)).toEqual({
      ok: false,
      reason: 'messages[1].at 1970-01-01T00:00:00Z is before 2000-01-01 (outside the plausible window)',
    });
    expect(validateConversation(conversation('2099-01-01T00:00:00Z'), window)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^messages\[1\]\.at 2099-01-01T00:00:00Z is after 2026-12-08/),
    });
  });

  it('takes a planned go-live or fix up to two years ahead, and rejects a typo of a year', () => {
    const fix = (date: string) => validateIntervention({ accountId: 'acme', date, kind: 'content' }, window);
    expect(fix('2027-03-01').ok).toBe(true);
    expect(fix('1990-05-01')).toEqual({
      ok: false,
      reason:
        '"date" 1990-05-01 is before 2000-01-01 (outside the plausible window; a planned date may be up to two years ahead)',
    });
    expect(fix('2099-05-01')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^"date" 2099-05-01 is after 2028-12-0/),
    });
    const account = (aiLiveSince: string) =>
      validateAccount({ id: 'acme', name: 'Acme', aiLiveSince }, window);
    expect(account('2027-01-15')).toMatchObject({ ok: true, value: { aiLiveSince: '2027-01-15' } });
    // a time with an offset is the UTC day it falls on, as months are UTC
    expect(account('2024-10-01T00:00:00+14:00')).toMatchObject({ value: { aiLiveSince: '2024-09-30' } });
    expect(account('2024-10-01T23:30:00-05:00')).toMatchObject({ value: { aiLiveSince: '2024-10-02' } });
    expect(account('2024-10-01T09:00:00Z')).toMatchObject({ value: { aiLiveSince: '2024-10-01' } });
    expect(fix('2024-10-01T00:00:00+14:00')).toMatchObject({ ok: true, value: { date: '2024-09-30' } });
    expect(account('2099-01-01').ok).toBe(false);
    expect(account('1970-01-01')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^"aiLiveSince" 1970-01-01 is before 2000-01-01/),
    });
  });
});

describe('an id of the wrong type', () => {
  it('is named for what it is, not reported missing', () => {
    const base = {
      accountId: 'acme',
      createdAt: '2026-08-03T10:00:00Z',
      channel: 'chat',
      aiInvolved: false,
      messages: [],
    };
    expect(validateConversation({ ...base, id: { a: 1 } })).toEqual({
      ok: false,
      reason: 'field "id" must be a string or a number, not an object',
    });
    expect(validateConversation({ ...base, id: true })).toEqual({
      ok: false,
      reason: 'field "id" must be a string or a number, not a boolean',
    });
    expect(validateConversation({ ...base, id: '  ' })).toEqual({
      ok: false,
      reason: 'missing required field "id"',
    });
    expect(validateAccount({ id: ['x'], name: 'Acme' })).toEqual({
      ok: false,
      reason: 'field "id" must be a string or a number, not an array',
    });
  });
});
