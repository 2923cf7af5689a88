/**
 * The forecast's track record (issue 10): where accounts were forecast to be 3 and 6 months on,
 * against what they reached, beside "no change" and the sampling-noise floor; a different
 * question from the potential, which is a ceiling.
 */
import type { ModelResponse } from '../../api/server-types.ts';
import { InfoTip } from '../../components/InfoTip.tsx';
import { count, pct, points, verticalLabel } from '../../lib/format.ts';

type TrackRecord = NonNullable<ModelResponse['forecast']>;
type Summary = NonNullable<TrackRecord['h3']>;
type Interval = Summary['mae'];

const pts = (x: number) => points(x, { signed: false });
const withInterval = (i: Interval, show: (x: number) => string) => (
  <>
    {show(i.value)}{' '}
    <span className="muted small">
      ({show(i.low)}–{show(i.high)})
    </span>
  </>
);

function verdict(s: Summary): string {
  const gain = s.gain.value;
  // read off the paired difference's interval (both errors on the same resampled accounts): two
  // separate intervals that overlap can still hide a clear gain
  const range = `${whole(s.gain.low)} to ${whole(s.gain.high)}`;
  if (gain >= 0.05)
    return s.gain.low > 0
      ? `${whole(gain)} closer than “no change” (90% interval ${range})`
      : `${whole(gain)} closer than “no change”, but its 90% interval (${range}) reaches 0: not yet a clear gain`;
  if (gain <= -0.05) return `${whole(-gain)} further than “no change” (90% interval ${range})`;
  return `no better than “no change” (90% interval ${range})`;
}

/** A gain as a whole percent: one decimal claimed more precision than a few effective accounts hold. */
const whole = (x: number) => `${Math.round(x * 100) < 0 ? '−' : ''}${Math.abs(Math.round(x * 100))}%`;

/** A P10–P90 band should hold about 80% of outcomes: said when its interval leaves 80% out. */
function BandVerdict({ coverage }: { coverage: Interval }) {
  if (coverage.high < 0.8)
    return <div className="muted small">too narrow: fewer outcomes inside than its 80%</div>;
  if (coverage.low > 0.8)
    return <div className="muted small">too wide: more outcomes inside than its 80%</div>;
  return null;
}

export function ForecastSection({ forecast: f }: { forecast: TrackRecord }) {
  const rows = [f.h3, f.h6].filter((s): s is Summary => s !== null);
  return (
    <section className="card" aria-labelledby="forecast-title" data-testid="forecast">
      <div className="card-head">
        {/* named by its words alone: the (i) button and its definition are not part of the title */}
        <h2 aria-labelledby="forecast-title">
          <span id="forecast-title">Forecast: where accounts will be</span>{' '}
          <InfoTip
            label="Forecast"
            text="Not the potential (a ceiling): the automation rate an account is expected to have 3 and 6 months on, from its recent rates (a noisy month reverts toward the last 3), its gap to the potential, its go-live ramp and the gaps the actions taken or planned go after. Replayed month by month with only the data known at the time."
          />
        </h2>
        <span className="muted small">volume-weighted error in points, 90% intervals over accounts</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted">
          Not enough history yet to replay a forecast (3 live months, then 3 or 6 more).
        </p>
      ) : (
        <div className="table-scroll">
          <table
            className="data-table forecast-table"
            data-testid="forecast-table"
            aria-label="Forecast track record by horizon"
          >
            <thead>
              <tr>
                <th scope="col">
                  Horizon{' '}
                  <InfoTip
                    label="Horizon"
                    text="How far ahead: the forecast made with data up to month M, checked 3 or 6 months on"
                    align="start"
                  />
                </th>
                <th scope="col">
                  Forecast error{' '}
                  <InfoTip
                    label="Forecast error"
                    text="Mean absolute error of the forecast against the automation rate reached, in points, each account-month weighted by its conversations (big accounts count more); 90% interval over accounts"
                    align="center"
                  />
                </th>
                <th scope="col">
                  “No change” error{' '}
                  <InfoTip
                    label="“No change” error"
                    text="The same error for the baseline that says the rate stays where it is at M: a forecast is only worth reading if it beats this"
                    align="center"
                  />
                </th>
                <th scope="col">
                  Noise floor{' '}
                  <InfoTip
                    label="Noise floor"
                    text="How far a month's rate moves by sampling alone (its conversations are a sample): no forecast can be expected to do better than this"
                    align="center"
                  />
                </th>
                <th scope="col">
                  P10–P90 band covered{' '}
                  <InfoTip
                    label="P10–P90 band covered"
                    text="Share of outcomes that fell inside the forecast's P10–P90 band; about 80% means the band is honest, much less means it is too narrow"
                    align="center"
                  />
                </th>
                <th scope="col">
                  Forecasts · accounts (effective){' '}
                  <InfoTip
                    label="Forecasts · accounts (effective)"
                    text="Forecasts replayed, the accounts they cover, and in brackets how many equal-sized accounts the volume weighting amounts to: a small number means a few big accounts decide the error"
                    align="end"
                  />
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.horizon}>
                  <th scope="row">
                    M+{s.horizon}
                    <div className="muted small">{verdict(s)}</div>
                  </th>
                  <td>{withInterval(s.mae, pts)}</td>
                  <td>{withInterval(s.persistenceMae, pts)}</td>
                  <td>{withInterval(s.noiseFloor, pts)}</td>
                  <td>
                    {withInterval(s.coverage, pct)}
                    <BandVerdict coverage={s.coverage} />
                  </td>
                  <td>
                    {count(s.points)} · {count(s.accounts)} ({s.effectiveAccounts.toFixed(1)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {f.byVertical.length > 0 && <ForecastByVertical rows={f.byVertical} />}
      <details className="how">
        <summary>How is the forecast made?</summary>
        <div className="how-body">
          <p>{f.method}</p>
          {f.gapClosed !== null && (
            // in the method, not beside the track record: what each kind of fix produced, with its
            // interval, is the Patterns view's lift against matched controls, which next actions use
            <p className="muted small" data-testid="forecast-gap-closed">
              Fitted on {count(f.pairs)} account-months: an action closes about{' '}
              {(f.gapClosed * 100).toFixed(0)}% of its topic’s gap to the achievable level once landed. One
              share for every kind of action, with no interval: what each kind of fix produced, with its
              interval and number of accounts, is the Patterns view’s lift against matched controls, which
              next actions use.
            </p>
          )}
        </div>
      </details>
    </section>
  );
}

/**
 * The track record per vertical: each has a handful of accounts (and fewer effective ones), so the
 * intervals are wide — shown so a vertical is not read off the pooled figure.
 */
function ForecastByVertical({ rows }: { rows: TrackRecord['byVertical'] }) {
  const cell = (s: Summary | null) =>
    s === null ? (
      <td className="muted">—</td>
    ) : (
      <td>
        {withInterval(s.mae, pts)}
        <div className="muted small">
          “no change” {pts(s.persistenceMae.value)} · band {pct(s.coverage.value)} · {count(s.accounts)}{' '}
          accounts ({s.effectiveAccounts.toFixed(1)})
        </div>
      </td>
    );
  // the caption above the scroll box, not in the table: on a phone the 844 px table cut it mid-word
  return (
    <>
      <p className="muted small forecast-caption" id="forecast-by-vertical-caption">
        By vertical: forecast error (90% interval over accounts), beside “no change”, the band’s coverage and
        the accounts (effective)
      </p>
      <div className="table-scroll">
        <table
          className="data-table forecast-table"
          data-testid="forecast-by-vertical"
          aria-label="Forecast track record by vertical"
          aria-describedby="forecast-by-vertical-caption"
        >
          <thead>
            <tr>
              <th scope="col">Vertical</th>
              <th scope="col">M+3</th>
              <th scope="col">M+6</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.vertical}>
                <th scope="row">{verticalLabel(r.vertical)}</th>
                {cell(r.h3)}
                {cell(r.h6)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
