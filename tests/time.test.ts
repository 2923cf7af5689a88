import { describe, expect, it } from 'vitest';
import {
  dayOrderEvidence,
  dayOrderOf,
  parseExportTimestamp,
  parseIsoTimestamp,
} from '../server/domain/time.ts';
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
    // RFC 3339 allows the lower-case separator and zone
    ['2026-03-04t10:22:00z', '2026-03-04T10:22:00Z'],
    ['2026-11-30T23:30:00.5z', '2026-11-30T23:30:00.500Z'],
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

describe('day and month spellings of other systems’ exports', () => {
  it.each([
    ['31/03/2026 10:22', '2026-03-31T10:22:00Z'],
    ['12/13/2026', '2026-12-13T00:00:00Z'],
    ['04.03.2026 10:22', '2026-03-04T10:22:00Z'],
    ['2026-3-4 10:22', '2026-03-04T10:22:00Z'],
    ['4 Mar 2026 10:22', '2026-03-04T10:22:00Z'],
    ['04-Mar-2026', '2026-03-04T00:00:00Z'],
    ['Mar 4, 2026 10:22 AM', '2026-03-04T10:22:00Z'],
    ['Mar 4, 2026 12:05 AM', '2026-03-04T00:05:00Z'],
    ['March 4th, 2026 1:05 PM', '2026-03-04T13:05:00Z'],
    ['Wed, 4 Mar 2026 10:22:00 +0100', '2026-03-04T09:22:00Z'],
    ['03/03/2026', '2026-03-03T00:00:00Z'],
    // month names of European help desks' exports in their users' language
    ['5. März 2026 14:05', '2026-03-05T14:05:00Z'],
    ['1er mars 2026', '2026-03-01T00:00:00Z'],
    ['mar. 15 déc. 2026 09:30', '2026-12-15T09:30:00Z'],
    ['5 de marzo de 2026', '2026-03-05T00:00:00Z'],
    ['12 ago 2026 18:00', '2026-08-12T18:00:00Z'],
    ['3 mei 2026', '2026-05-03T00:00:00Z'],
    ['7 Okt. 2026', '2026-10-07T00:00:00Z'],
    ['9 de março de 2026', '2026-03-09T00:00:00Z'],
    ['25 août 2026, 10:00', '2026-08-25T10:00:00Z'],
    // zone abbreviations help desks print, and JavaScript's Date.toString()
    ['2026-06-01 10:00:00 PDT', '2026-06-01T17:00:00Z'],
    ['Jun 1, 2026 10:00 AM EST', '2026-06-01T15:00:00Z'],
    ['1 Jun 2026 10:00 CEST', '2026-06-01T08:00:00Z'],
    ['2026-06-01 10:00 UTC+05:30', '2026-06-01T04:30:00Z'],
    ['2026-06-01 10:00 UTC-7', '2026-06-01T17:00:00Z'],
    ['2026-06-01 10:00 GMT+2', '2026-06-01T08:00:00Z'],
    ['2026-06-01 10:00 AEST', '2026-06-01T00:00:00Z'],
    ['2026-06-01 10:00 JST', '2026-06-01T01:00:00Z'],
    ['2026-06-01 10:00 MSK', '2026-06-01T07:00:00Z'],
    ['Mon Jun 01 2026 10:00:00 GMT+0200 (Central European Summer Time)', '2026-06-01T08:00:00Z'],
  ])('%s is %s', (text, expected) => {
    expect(parseExportTimestamp(text)).toBe(utc(expected));
  });

  it('reads 03/04/2026 only when the file says which comes first', () => {
    expect(parseExportTimestamp('03/04/2026 10:22')).toBeNull();
    expect(parseExportTimestamp('03/04/2026 10:22', 'dmy')).toBe(utc('2026-04-03T10:22:00Z'));
    expect(parseExportTimestamp('03/04/2026 10:22', 'mdy')).toBe(utc('2026-03-04T10:22:00Z'));
    expect(dayOrderOf(['03/04/2026', '28/02/2026 09:00', ''])).toBe('dmy');
    expect(dayOrderOf(['03/04/2026', '02/28/2026'])).toBe('mdy');
    expect(dayOrderOf(['03/04/2026', '02/28/2026', '28/02/2026'])).toBeNull();
    expect(dayOrderOf(['03/04/2026', '2026-02-28'])).toBeNull();
    // a date that contradicts the file's order is refused, not read the other way round
    expect(parseExportTimestamp('03/13/2026', 'dmy')).toBeNull();
    expect(parseExportTimestamp('13/03/2026', 'mdy')).toBeNull();
    expect(parseExportTimestamp('13/03/2026', 'dmy')).toBe(utc('2026-03-13T00:00:00Z'));
  });

  it('tells the order of a short export from which number runs through the days', () => {
    // March 1-12, sorted, as a US report of a fortnight writes it: no number passes 12
    const march = Array.from({ length: 24 }, (_, i) => `3/${(i % 12) + 1}/2024 ${(i % 12) + 1}:05 PM`);
    expect(dayOrderEvidence(march)).toEqual({ order: 'mdy', by: 'spread' });
    expect(dayOrderEvidence(march.map((d) => d.replace(/^3\/(\d+)/, '$1/3')))).toEqual({
      order: 'dmy',
      by: 'spread',
    });
    // a second month in the head is still a month (at most two values)
    expect(dayOrderEvidence([...march, '4/1/2024', '4/2/2024'])?.order).toBe('mdy');
    // three days of one month: the month is the one that stays
    const threeDays = Array.from({ length: 30 }, (_, i) => `3/${(i % 3) + 1}/2024 9:00`);
    expect(dayOrderEvidence(threeDays)).toEqual({ order: 'mdy', by: 'spread' });
    expect(dayOrderEvidence(threeDays.map((d) => d.replace(/^3\/(\d)/, '$1/3')))?.order).toBe('dmy');
    // one date only says nothing
    expect(dayOrderEvidence(Array.from({ length: 30 }, () => '3/1/2024'))).toBeNull();
    // too few dates, or both numbers running, say nothing
    expect(dayOrderEvidence(march.slice(0, 9))).toBeNull();
    expect(dayOrderEvidence(march.map((d, i) => d.replace(/^3\//, `${(i % 6) + 1}/`)))).toBeNull();
    // a number past 12 still decides, and says so
    expect(dayOrderEvidence([...march, '3/14/2024'])).toEqual({ order: 'mdy', by: 'past-12' });
  });

  it('reads the order under which a date-sorted export is in order, before the spread', () => {
    // tickets of the 1st and 2nd of June to November, day first: the first number takes two
    // values and the second six, so the spread alone said month first (Jan 6, Feb 6, Jan 7…)
    const renewals = ['06', '07', '08', '09', '10', '11'].flatMap((mo) =>
      ['01', '01', '02', '02'].map((d) => `${d}/${mo}/2026 09:15`),
    );
    expect(dayOrderEvidence(renewals)).toEqual({ order: 'dmy', by: 'sorted' });
    expect(dayOrderEvidence([...renewals].reverse())).toEqual({ order: 'dmy', by: 'sorted' });
    expect(dayOrderEvidence(renewals.map((d) => d.replace(/^(\d+)\/(\d+)/, '$2/$1')))).toEqual({
      order: 'mdy',
      by: 'sorted',
    });
    // the first twelve days of four months, sorted: only day first keeps them in order
    const fourMonths = ['08', '09', '10', '11'].flatMap((mo) =>
      Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}/${mo}/2026`),
    );
    expect(dayOrderEvidence(fourMonths)).toEqual({ order: 'dmy', by: 'sorted' });
    // sorted either way (one month's first days): the order says nothing, the spread decides
    const oneMonth = Array.from({ length: 12 }, (_, i) => `3/${i + 1}/2024`);
    expect(dayOrderEvidence(oneMonth)).toEqual({ order: 'mdy', by: 'spread' });
  });

  it('gives up on a cell far longer than any date instead of scanning it', () => {
    expect(parseExportTimestamp(`2026-03-04 10:22${' '.repeat(90)}`)).toBeNull();
    expect(parseExportTimestamp('Wednesday, 14 September 2026 10:22:05.123456789 +05:30')).toBe(
      utc('2026-09-14T04:52:05.123Z'),
    );
  });

  it.each([
    '13/13/2026',
    '31.13.2026',
    'Mar 32, 2026',
    '4 Foo 2026',
    'Mar 4, 2026 13:05 PM',
    '2026-06-01 10:00 XYZ',
    '2026-03-04+02',
  ])('refuses %s', (text) => {
    expect(parseExportTimestamp(text, 'dmy')).toBeNull();
  });
});
