/**
 * One way to read an account, whatever holds it: the serving database (customers, built by the
 * pipeline) or the prospects store (estimates of prospects, saved or not). Every
 * `/api/accounts/:id…` endpoint asks `AccountStore`, so a prospect's Account page is a customer's
 * Account page with the figures a prospect has. `undefined` means "not mine": the next store is
 * asked, and the last "not mine" is a 404.
 */
import type {
  ActionsResponse,
  BreakdownResponse,
  CxResponse,
  CxSamplesResponse,
  ForecastResponse,
  HistoryResponse,
  SamplesResponse,
} from '../api-types.ts';

export interface AccountStore {
  /** the AccountDetail as the JSON text it is stored as (sent without parsing) */
  detailJson(id: string): string | undefined;
  breakdown(id: string): BreakdownResponse | undefined;
  actions(id: string): ActionsResponse | undefined;
  cx(id: string): CxResponse | undefined;
  forecast(id: string): ForecastResponse | undefined;
  history(id: string): HistoryResponse | undefined;
  samples(id: string, taxonomyId: string): SamplesResponse | undefined;
  /** example conversations, all topics, whose CX score rounds to `score` */
  cxSamples(id: string, score: number): CxSamplesResponse | undefined;
}

/** Asks each store in turn; the first that holds the account answers. */
export function firstHolding(...stores: AccountStore[]): AccountStore {
  const ask =
    <A extends unknown[], R>(read: (s: AccountStore, ...args: A) => R | undefined) =>
    (...args: A): R | undefined => {
      for (const s of stores) {
        const found = read(s, ...args);
        if (found !== undefined) return found;
      }
      return undefined;
    };
  return {
    detailJson: ask((s, id: string) => s.detailJson(id)),
    breakdown: ask((s, id: string) => s.breakdown(id)),
    actions: ask((s, id: string) => s.actions(id)),
    cx: ask((s, id: string) => s.cx(id)),
    forecast: ask((s, id: string) => s.forecast(id)),
    history: ask((s, id: string) => s.history(id)),
    samples: ask((s, id: string, taxonomyId: string) => s.samples(id, taxonomyId)),
    cxSamples: ask((s, id: string, score: number) => s.cxSamples(id, score)),
  };
}
