/**
 * The JSON columns of the serving and prospects databases, one codec each: `encode` takes the
 * column's type, so a writer cannot store another shape; `decode` checks the shape it reads back
 * before it is served, so a column written by a different build fails with its name instead of
 * reaching a page half-formed. This is the one place where parsed JSON becomes a type.
 */
import type {
  AccountDetail,
  AccountSummary,
  CxResponse,
  EstimateResult,
  SampleConversation,
} from '../api-types.ts';
import type { FixCheck } from '../domain/backtest.ts';
import type { AccountForecast, ForecastTrackRecord } from '../domain/forecast.ts';
import type { MatchedLifts } from '../domain/lifts.ts';
import type { LeafPattern } from '../domain/patterns.ts';

export class StoredJsonError extends Error {}

export interface JsonCodec<T> {
  encode(value: T): string;
  decode(text: string): T;
}

type Check = (v: unknown) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const withKeys =
  (...keys: string[]): Check =>
  (v) =>
    isRecord(v) && keys.every((k) => k in v);
const listOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(item);
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);

function codec<T>(column: string, isShape: Check): JsonCodec<T> {
  return {
    encode: (value) => JSON.stringify(value),
    decode(text) {
      const value: unknown = JSON.parse(text);
      if (!isShape(value))
        throw new StoredJsonError(`${column} does not hold what this Cockpit writes: rebuild the database`);
      return value as T;
    },
  };
}

export const storedJson = {
  accountSummary: codec<AccountSummary>('accounts.summary_json', withKeys('id', 'name', 'status', 'flags')),
  accountDetail: codec<AccountDetail>('accounts.detail_json', withKeys('id', 'status', 'months', 'window')),
  sampleIds: codec<string[]>(
    'actions.sample_ids_json',
    listOf((s) => typeof s === 'string'),
  ),
  cxDistribution: codec<CxResponse['distribution']>(
    'account_cx.distribution_json',
    listOf(withKeys('score', 'conversations')),
  ),
  sample: codec<SampleConversation>('samples.sample_json', withKeys('id', 'messages', 'cx')),
  leafPatterns: codec<LeafPattern[]>('patterns.leaves_json', listOf(withKeys('taxonomyId'))),
  lifts: codec<MatchedLifts>(
    'patterns.lifts_json',
    (v) =>
      withKeys('settings', 'kinds')(v) &&
      listOf(withKeys('kind', 'events', 'placebo'))((v as { kinds: unknown }).kinds),
  ),
  fixCheck: codec<FixCheck | null>('meta.fixCheck', orNull(isRecord)),
  forecast: codec<ForecastTrackRecord | null>(
    'meta.forecast',
    orNull(withKeys('method', 'h3', 'h6', 'gapClosed', 'byVertical')),
  ),
  accountForecast: codec<AccountForecast>(
    'account_forecasts.forecast_json',
    withKeys('from', 'rate', 'h3', 'h6'),
  ),
  estimate: codec<EstimateResult>('prospects.estimate_json', withKeys('id', 'leaves', 'report', 'saved')),
};
