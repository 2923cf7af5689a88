/**
 * Where the account is expected to be 3 and 6 months on (issue 10): the forecast with its P10–P90
 * band, beside "no change", and how far the same model was off in its backtest, so a CSM can judge
 * how much to bet on it. It answers a different question from the potential (a ceiling).
 */
import type { Flag, ForecastResponse } from '../../api/server-types.ts';
import { count, monthLabel, pct, points, verticalLabel } from '../../lib/format.ts';
import { monthNoise } from './forecastNoise.ts';

/** The account's automation rate is flagged as climbing or falling (a CX-only decline is not). */
export function automationTrend(flags: readonly Flag[]): 'climbing' | 'declining' | null {
  if (flags.some((f) => f.kind === 'climbing')) return 'climbing';
  if (flags.some((f) => f.kind === 'declining' && /^automation/i.test(f.reason))) return 'declining';
  return null;
}

export function ForecastLine({
  data,
  conversationsAt,
  inProgress,
  moving,
}: {
  data: ForecastResponse;
  /** the account's conversations in the month forecast from, for its own sampling noise */
  conversationsAt?: (month: string) => number | null;
  /** the month in progress and its rate so far, which the forecast does not read yet */
  inProgress?: { month: string; rate: number | null } | null;
  /** the account's trend flag: a forecast flat beside "Climbing" needs its reason said */
  moving?: 'climbing' | 'declining' | null;
}) {
  const f = data.forecast;
  if (!f)
    return (
      <p className="muted small" data-testid="forecast-line">
        {data.reason}
      </p>
    );
  const vertical = data.verticalTrackRecord;
  const monthConversations = conversationsAt?.(f.from) ?? null;
  const noise = monthConversations === null ? null : monthNoise(f.rate, monthConversations);
  const horizons = [
    { months: 3, value: f.h3 },
    { months: 6, value: f.h6 },
  ] as const;
  return (
    <div className="forecast-line" data-testid="forecast-line">
      <h3 className="h3">Forecast</h3>
      <ul className="forecast-points">
        {horizons.map(({ months, value }) => (
          <li key={months}>
            <strong>{monthLabel(value.month, true)}</strong>: {pct(value.rate)}{' '}
            <span className="muted">
              (P10–P90 {pct(value.low)}–{pct(value.high)}; {points(value.rate - f.rate)} vs{' '}
              {monthLabel(f.from, true)})
            </span>
          </li>
        ))}
      </ul>
      <p className="muted small">
        From {monthLabel(f.from)} at {pct(f.rate)}, with its last 3 months, the go-live ramp, its gap to the
        potential and any actions taken or planned.{' '}
        {inProgress && inProgress.month > f.from && inProgress.rate !== null && (
          <span data-testid="forecast-in-progress">
            {monthLabel(inProgress.month)} so far ({pct(inProgress.rate)}) is not in it yet: it starts from
            the last complete month.{' '}
          </span>
        )}
        {moving && (
          <span data-testid="forecast-momentum">
            The {moving === 'climbing' ? 'climb' : 'fall'} of the last months is not carried forward: the
            model has no trend term (tried, it made no backtest forecast better), its last 3 months’ average
            pulls the forecast back towards them, and actions, the ramp and the gap move it on.{' '}
          </span>
        )}
        {data.trackRecord.length === 0 &&
          // bands with no record beside them read as tested: say they are not
          'Untested: the data holds too few months to check past forecasts against what accounts reached, so take the band as the model’s own, not a track record.'}
        {data.trackRecord.map((t) => (
          <span key={t.horizon}>
            At {t.horizon} months the model was off by {points(t.mae, { signed: false })} on average (“no
            change”: {points(t.persistenceMae, { signed: false })}
            {t.mae >= t.persistenceMae ? ', no better' : t.clearGain ? '' : ', not yet a clear gain'}); its
            band held {pct(t.coverage)} of outcomes.{' '}
          </span>
        ))}
        {data.trackRecord.length > 0 &&
          'Those are over all accounts, weighted by volume (big accounts decide them). '}
        {vertical.length > 0 && (
          <span data-testid="forecast-vertical">
            In {verticalLabel(vertical[0]!.vertical)} alone:{' '}
            {vertical
              .map(
                (t) =>
                  `${points(t.mae, { signed: false })} at ${t.horizon} months over ${count(t.accounts)} accounts (“no change”: ${points(t.persistenceMae, { signed: false })}${t.mae >= t.persistenceMae ? ', no better there' : ''})`,
              )
              .join(', ')}
            .{' '}
          </span>
        )}
        {data.trackRecord.length > 0 && noise !== null && (
          <span data-testid="forecast-noise">
            At this account’s {count(monthConversations!)} conversations a month, its rate moves about{' '}
            {points(noise, { signed: false })} a month by chance alone.
          </span>
        )}
      </p>
    </div>
  );
}
