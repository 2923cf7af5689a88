/**
 * Read-only queries for the truth evaluation (`npm run eval:truth`, tests/truth.test.ts): what the
 * pipeline concluded about each account, its backtest points and build meta, to be set against a
 * demo world's truth.json. Opens the database read-only; nothing here writes.
 */
import Database from 'better-sqlite3';
import type { AccountSummary } from '../api-types.ts';
import type { BacktestPoint } from '../domain/backtest.ts';
import { storedJson } from './stored-json.ts';

export interface BuiltFigures {
  currentMonth: string | null;
  monthToDate: boolean;
  /** CX agreement with CSAT on held-out accounts, as the pipeline measured it */
  cxSpearman: number | null;
  accounts: AccountSummary[];
  backtest: BacktestPoint[];
  /** per account and month: conversations and resolved, for the seed-scenario checks */
  months: {
    accountId: string;
    month: string;
    conversations: number;
    involved: number;
    resolved: number;
    cxScored: number;
    cxSum: number;
  }[];
}

export function readBuiltFigures(path: string): BuiltFigures {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  try {
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        JSON.parse(r.value) as unknown,
      ]),
    );
    const calibration = meta.get('cxCalibration') as { spearman?: number | null } | undefined;
    const accounts = (
      db
        .prepare("SELECT summary_json FROM accounts WHERE status = 'customer' ORDER BY id")
        .pluck()
        .all() as string[]
    ).map(storedJson.accountSummary.decode);
    const backtest = (
      db
        .prepare(
          `SELECT b.account_id AS accountId, b.vertical, b.month, b.predicted, b.predicted_low AS predictedLow,
                  b.predicted_high AS predictedHigh, b.current_rate AS currentRate, b.actual3, b.actual6, b.peak6, b.peak3of6, b.acted
             FROM backtest b ORDER BY b.month, b.account_id`,
        )
        .all() as (Omit<BacktestPoint, 'acted'> & { acted: number })[]
    ).map((r) => ({ ...r, acted: r.acted === 1 }));
    const months = db
      .prepare(
        `SELECT account_id AS accountId, month, conversations, involved, resolved, cx_scored AS cxScored, cx_sum AS cxSum
           FROM account_months ORDER BY account_id, month`,
      )
      .all() as BuiltFigures['months'];
    return {
      currentMonth: (meta.get('currentMonth') as string | null | undefined) ?? null,
      monthToDate: meta.get('monthToDate') === true,
      cxSpearman: calibration?.spearman ?? null,
      accounts,
      backtest,
      months,
    };
  } finally {
    db.close();
  }
}
