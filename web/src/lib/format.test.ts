import { describe, expect, it } from 'vitest';
import {
  count,
  DASH,
  dateLabel,
  dateTimeLabel,
  hours,
  hoursSaved,
  localDateLabel,
  localDateTimeLabel,
  money,
  monthLabel,
  pct,
  perMonth,
  points,
  score,
  signedPct,
  signedScore,
  verticalLabel,
} from './format.ts';

describe('format', () => {
  it('formats percents with one decimal and dashes for null/NaN', () => {
    expect(pct(0.4237)).toBe('42.4%');
    expect(pct(0)).toBe('0.0%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(null)).toBe(DASH);
    expect(pct(undefined)).toBe(DASH);
    expect(pct(Number.NaN)).toBe(DASH);
  });
  it('never rounds a rate or share onto an end it has not reached', () => {
    expect(pct(0.00016)).toBe('<0.1%');
    expect(pct(0.0005)).toBe('0.1%');
    expect(pct(0.25)).toBe('25.0%');
    expect(pct(0.99996)).toBe('>99.9%');
    expect(pct(0.9995)).toBe('>99.9%');
    expect(pct(0.9994)).toBe('99.9%');
    expect(pct(-0.0001)).toBe('-0.0%');
  });

  it('formats counts with thousands separators', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(count(12.6)).toBe('13');
    expect(count(null)).toBe(DASH);
  });
  it('keeps a decimal on small monthly volumes, so a topic with some is not shown as 0', () => {
    expect(perMonth(0.33)).toBe('0.3');
    expect(perMonth(2.7)).toBe('2.7');
    expect(perMonth(1234.4)).toBe('1,234');
    expect(perMonth(9.94)).toBe('9.9');
    expect(perMonth(9.96)).toBe('10');
    expect(perMonth(null)).toBe(DASH);
  });
  it('formats points with sign', () => {
    expect(points(0.042)).toBe('+4.2 pts');
    expect(points(-0.013)).toBe('−1.3 pts');
    expect(points(0.0001)).toBe('0.0 pts');
    expect(points(0.042, { signed: false })).toBe('4.2 pts');
    expect(points(null)).toBe(DASH);
  });
  it('formats money compactly', () => {
    expect(money(1_234_567)).toBe('$1.2M');
    expect(money(1_000_000)).toBe('$1M');
    expect(money(85_000)).toBe('$85K');
    expect(money(950)).toBe('$950');
    expect(money(999_960)).toBe('$1M');
    expect(money(2_500_000_000)).toBe('$2.5B');
    expect(money(null)).toBe(DASH);
  });
  it('formats signed values', () => {
    expect(signedPct(0.053)).toBe('+5.3%');
    expect(signedPct(-0.1)).toBe('−10.0%');
    expect(signedScore(0.123)).toBe('+0.12');
    expect(signedScore(-0.004)).toBe('0.00');
  });
  it('formats scores, hours and dates', () => {
    expect(score(3.8421)).toBe('3.84');
    expect(score(null)).toBe(DASH);
    expect(hours(3.25)).toBe('3.3 h');
    expect(hours(1234.4)).toBe('1,234 h');
    expect(hours(9.96)).toBe('10 h');
    expect(monthLabel('2026-03')).toBe('Mar 2026');
    expect(monthLabel('2026-03', true)).toBe('Mar ’26');
    expect(dateLabel('2026-03-04T10:22:00Z')).toBe('4 Mar 2026');
    expect(dateTimeLabel('2026-03-04T10:22:00Z')).toBe('4 Mar 2026, 10:22 UTC');
    expect(dateLabel(null)).toBe(DASH);
  });
  it('dates what the user did in their own time zone', () => {
    // saved at 20:44 UTC on 4 Dec: already 5 Dec in Kiribati (UTC+14), still 4 Dec in Los Angeles
    expect(localDateLabel('2026-12-04T20:44:00Z', 'Pacific/Kiritimati')).toBe('5 Dec 2026');
    expect(localDateLabel('2026-12-04T20:44:00Z', 'America/Los_Angeles')).toBe('4 Dec 2026');
    // its tooltip names the same day, and the UTC moment beside it
    expect(localDateTimeLabel('2026-12-08T02:08:00Z', 'Pacific/Pago_Pago')).toBe(
      '7 Dec 2026, 15:08 your time (8 Dec 2026, 02:08 UTC)',
    );
    expect(localDateTimeLabel('2026-12-04T20:44:00Z', 'Pacific/Kiritimati')).toBe(
      '5 Dec 2026, 10:44 your time (4 Dec 2026, 20:44 UTC)',
    );
    expect(localDateLabel('2026-12-05T01:00:00Z', 'America/Los_Angeles')).toBe('4 Dec 2026');
    expect(localDateLabel('2026-12-05T01:00:00Z', 'UTC')).toBe('5 Dec 2026');
    expect(localDateLabel(null)).toBe(DASH);
    expect(localDateLabel('not a date')).toBe('not a date');
  });

  it('names verticals as people write them', () => {
    expect(['saas', 'ecommerce', 'fintech', 'SaaS', 'other'].map(verticalLabel)).toEqual([
      'SaaS',
      'E-commerce',
      'Fintech',
      'SaaS',
      'Other',
    ]);
    expect(verticalLabel('real_estate')).toBe('Real estate');
  });
});

describe('hoursSaved', () => {
  it('turns conversations a month into agent hours at the minutes per conversation given', () => {
    expect(hoursSaved(30, 6)).toBe(3);
    expect(hoursSaved(30, 12)).toBe(6);
    expect(hoursSaved(0, 6)).toBe(0);
  });
});
