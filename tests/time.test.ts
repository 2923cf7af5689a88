import { describe, expect, it } from 'vitest';
import { parseExportTimestamp, parseIsoTimestamp } from '../server/domain/time.ts';
import { parseDateTime } from '../server/importers/index.ts';

const utc = (iso: string) => Date.parse(iso);

describe('UTC offsets', () => {
  it.each([
    ['2026-03-04 10:22:00+02', '2026-03-04T08:22:00Z'],
    ['2026-03-04T10:22:00+0200', '2026-03-04T08:22:00Z'],
    ['2026-03-04T10:22:00+02:00', '2026-03-04T08:22:00Z'],
    ['2026-03-04T10:22:00-05', '2026-03-04T15:22:00Z'],
    ['2026-03-04T10:22-05', '2026-03-04T15:22:00Z'],
    ['2026-03-04T00:30:00.250+05:30', '2026-03-03T19:00:00.250Z'],
    ['2026-03-04T10:22:00Z', '2026-03-04T10:22:00Z'],
  ])('%s is %s', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(utc(expected));
    expect(parseExportTimestamp(text)).toBe(utc(expected));
  });

  it('hour-only offsets as PostgreSQL writes them, in CSV exports', () => {
    expect(parseDateTime('2026-03-04 10:22:00+02')).toBe('2026-03-04T08:22:00Z');
    expect(parseDateTime('2026-03-04 10:22:00.123456-03')).toBe('2026-03-04T13:22:00.123Z');
    expect(parseDateTime('2026/03/04 10:22 +02')).toBe('2026-03-04T08:22:00Z');
  });

  it.each([
    '2026-03-04T10:22:00+2',
    '2026-03-04T10:22:00+024',
    '2026-03-04T10:22:00+02:0',
    '2026-03-04T10:22:00+24',
    '2026-03-04T10:22:00+02:60',
    '2026-03-04+02',
  ])('refuses %s', (text) => {
    expect(parseIsoTimestamp(text)).toBeNull();
    expect(parseExportTimestamp(text)).toBeNull();
  });

  it('the fast path reads the common shapes exactly and refuses impossible ones', () => {
    expect(parseIsoTimestamp('2026-03-04T10:22:00Z')).toBe(utc('2026-03-04T10:22:00Z'));
    expect(parseIsoTimestamp('2026-03-04T10:22:00.123Z')).toBe(utc('2026-03-04T10:22:00.123Z'));
    // sub-millisecond digits are cut, not rounded: the last instant of a month stays in it
    expect(parseIsoTimestamp('2026-10-31T23:59:59.9999Z')).toBe(utc('2026-10-31T23:59:59.999Z'));
    expect(parseIsoTimestamp('2026-10-31T23:59:59.9999+00:00')).toBe(utc('2026-10-31T23:59:59.999Z'));
    expect(parseIsoTimestamp('2026-03-04T10:22:00.5Z')).toBe(utc('2026-03-04T10:22:00.500Z'));
    expect(parseIsoTimestamp('2026-03-04T10:22:00.58Z')).toBe(utc('2026-03-04T10:22:00.580Z'));
    expect(parseIsoTimestamp('2024-02-29T00:00:00Z')).toBe(utc('2024-02-29T00:00:00Z'));
    expect(parseIsoTimestamp('2026-02-29T00:00:00Z')).toBeNull();
    expect(parseIsoTimestamp('2026-02-10T25:00:00Z')).toBeNull();
  });
});
