import type { AccountDetail, MonthFigures } from '../../api/server-types.ts';
import { KpiTile } from '../../components/KpiTile.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import {
  count,
  dateLabel,
  monthLabel,
  pct,
  points,
  score,
  signedPct,
  signedScore,
} from '../../lib/format.ts';
import { meanWithinNoise, withinNoise } from '../../lib/noise.ts';
import { exportBeganWithin, paceOf } from '../../lib/pace.ts';

type Better = 'up' | 'down';

interface Delta {
  text: string;
  /** sign of the change: 1 up, -1 down, 0 flat */
  sign: -1 | 0 | 1;
  better: Better;
  /** within what sampling alone moves the rate: shown grey, not good or bad news */
  noise?: boolean;
}

/** A rate and the count it is a share of (conversations, involved, ratings). */
type Sampled = { rate: number | null; n: number };

function rateDelta(cur: Sampled, prev: Sampled | null, better: Better = 'up'): Delta | null {
  if (cur.rate == null || prev?.rate == null) return null;
  const d = cur.rate - prev.rate;
  return {
    text: points(d),
    sign: Math.abs(d) < 0.0005 ? 0 : d > 0 ? 1 : -1,
    better,
    noise: withinNoise(cur, prev),
  };
}

const automationOf = (m: MonthFigures): Sampled => ({ rate: m.automationRate, n: m.conversations });
const involvementOf = (m: MonthFigures): Sampled => ({ rate: m.involvementRate, n: m.conversations });
const resolutionOf = (m: MonthFigures): Sampled => ({ rate: m.resolutionRate, n: m.involved });
const handoffOf = (m: MonthFigures): Sampled => ({ rate: m.handoffRate, n: m.involved });
const csatOf = (m: MonthFigures): Sampled => ({ rate: m.csat, n: m.ratings });
/** the previous month's figure, when there is one */
const before = (p: MonthFigures | null, of: (m: MonthFigures) => Sampled) => (p ? of(p) : null);

function scoreDelta(cur: MonthFigures, prev: MonthFigures | null): Delta | null {
  if (cur.cxScore == null || prev?.cxScore == null) return null;
  const d = cur.cxScore - prev.cxScore;
  return {
    text: signedScore(d),
    sign: Math.abs(d) < 0.005 ? 0 : d > 0 ? 1 : -1,
    better: 'up',
    // every conversation of the month is scored
    noise: meanWithinNoise(
      { mean: cur.cxScore, n: cur.conversations },
      { mean: prev.cxScore, n: prev.conversations },
    ),
  };
}

function countDelta(cur: number, prev: number | null | undefined): Delta | null {
  if (prev == null || prev === 0) return null;
  const d = (cur - prev) / prev;
  return { text: signedPct(d), sign: Math.abs(d) < 0.0005 ? 0 : d > 0 ? 1 : -1, better: 'up' };
}

/** The month in progress at its pace against the previous month ("on pace −3.1%"). */
function paceDelta(pace: number, prev: number | null | undefined): Delta | null {
  const d = countDelta(pace, prev);
  return d && { ...d, text: `on pace ${d.text}` };
}

function DeltaBadge({ delta, vs, neutral }: { delta: Delta | null; vs: string; neutral?: boolean }) {
  // with a previous month, no change means a figure is unknown in one of the two
  if (!delta)
    return (
      <span className="delta delta-none">{vs ? `no change to show vs ${vs}` : 'no previous month'}</span>
    );
  const tone =
    neutral || delta.noise || delta.sign === 0
      ? 'flat'
      : delta.sign > 0 === (delta.better === 'up')
        ? 'good'
        : 'bad';
  const arrow = delta.sign > 0 ? '▲' : delta.sign < 0 ? '▼' : '■';
  return (
    <span
      className={`delta delta-${tone}`}
      title={delta.noise ? 'Within what sampling alone moves this rate at these volumes (95%)' : undefined}
    >
      <span aria-hidden="true">{arrow}</span> {delta.text} <span className="delta-vs">vs {vs}</span>
      {delta.noise && <span className="delta-vs"> · within noise</span>}
    </span>
  );
}

function Tile({
  delta,
  vs,
  neutral,
  noBadge,
  children,
  ...tile
}: {
  noBadge?: boolean;
  label: string;
  def: string;
  value: string;
  delta: Delta | null;
  vs: string;
  neutral?: boolean;
  children?: React.ReactNode;
  testId: string;
}) {
  return (
    <KpiTile
      {...tile}
      // a prospect's AI figures have no month to compare: no badge rather than "no change to show"
      badge={noBadge ? null : <DeltaBadge delta={delta} vs={vs} neutral={neutral} />}
      foot={children || null}
    />
  );
}

const NO_AGENT_YET = 'no AI agent yet';

export function KpiTiles({ account: a }: { account: AccountDetail }) {
  const p: MonthFigures | null = a.previous;
  const vs = p ? monthLabel(p.month, true) : '';
  // a month in progress compares at its pace, not its count so far: a customer's to its data's
  // date, a prospect's to the end of its export (its dataAsOf), which cuts its last month short
  const pace = a.monthToDate ? paceOf(a.conversations, a.month, a.dataAsOf) : null;
  const prospect = a.status === 'prospect';
  const confirmedShare = a.resolved > 0 ? a.resolvedConfirmed / a.resolved : 0;
  // a prospect has no AI agent yet: 0% involved and automated, and no resolution to speak of
  const noAgent = a.status === 'prospect' ? NO_AGENT_YET : null;
  return (
    <section className="kpis kpis-account" aria-label={`Key figures for ${monthLabel(a.month)}`}>
      <Tile
        testId="kpi-automation"
        label="Automation rate"
        def={DEFINITIONS.automationRate}
        value={pct(a.automationRate)}
        noBadge={noAgent !== null}
        delta={noAgent ? null : rateDelta(automationOf(a), before(p, automationOf))}
        vs={vs}
      >
        {noAgent ?? `${count(a.resolved)} resolved`}
      </Tile>
      <Tile
        testId="kpi-involvement"
        label="Involvement"
        def={DEFINITIONS.involvementRate}
        value={pct(a.involvementRate)}
        noBadge={noAgent !== null}
        delta={noAgent ? null : rateDelta(involvementOf(a), before(p, involvementOf))}
        vs={vs}
      >
        {noAgent ?? `${count(a.involved)} involved`}
      </Tile>
      <Tile
        testId="kpi-resolution"
        label="Resolution"
        def={`${DEFINITIONS.resolutionRate} Confirmed: ${DEFINITIONS.confirmedResolutionRate} Assumed: ${DEFINITIONS.assumedResolutionRate}`}
        value={pct(a.resolutionRate)}
        noBadge={noAgent !== null}
        delta={noAgent ? null : rateDelta(resolutionOf(a), before(p, resolutionOf))}
        vs={vs}
      >
        {noAgent ?? (
          <span
            className="split"
            role="img"
            aria-label={`Confirmed ${pct(a.confirmedResolutionRate)}, assumed ${pct(a.assumedResolutionRate)} of involved`}
          >
            <span className="split-bar" aria-hidden="true">
              <span className="split-a" style={{ width: `${confirmedShare * 100}%` }} />
            </span>
            <span className="split-legend" aria-hidden="true">
              <span>
                <i className="sw sw-confirmed" /> Confirmed {pct(a.confirmedResolutionRate)}
              </span>
              <span>
                <i className="sw sw-assumed" /> Assumed {pct(a.assumedResolutionRate)}
              </span>
            </span>
          </span>
        )}
      </Tile>
      <Tile
        testId="kpi-handoff"
        label="Handoff rate"
        def={DEFINITIONS.handoffRate}
        value={pct(a.handoffRate)}
        noBadge={noAgent !== null}
        delta={rateDelta(handoffOf(a), before(p, handoffOf), 'down')}
        vs={vs}
      >
        {noAgent ?? `${count(a.escalated + a.procedureHandoff)} handed off`}
      </Tile>
      <Tile
        testId="kpi-cx"
        label="CX score"
        def={DEFINITIONS.cxScore}
        value={score(a.cxScore)}
        noBadge={prospect && a.cxScore === null}
        delta={scoreDelta(a, p)}
        vs={vs}
      >
        {prospect && a.cxScore === null ? (
          // no AI outcomes to score a month by: the estimate's example conversations are scored instead
          <>
            read on example conversations: <a href="#cx-h">Customer experience</a>
          </>
        ) : (
          'on a 1–5 scale'
        )}
      </Tile>
      <Tile
        testId="kpi-csat"
        label="CSAT"
        def={DEFINITIONS.csat}
        value={pct(a.csat)}
        delta={rateDelta(csatOf(a), before(p, csatOf))}
        vs={vs}
      >
        {count(a.ratings)} {a.ratings === 1 ? 'rating' : 'ratings'}
      </Tile>
      <Tile
        testId="kpi-conversations"
        label="Conversations"
        def={DEFINITIONS.conversations}
        value={count(a.conversations)}
        delta={
          // a previous month the data began in after its first day (a prospect's export, a new
          // customer) is partial: no change to read from it ("+307%" against a week of October)
          p && exportBeganWithin(a.dataFrom, p.month)
            ? null
            : pace !== null
              ? paceDelta(pace, p?.conversations)
              : // a month's first days against a whole month read as a collapse ("−99.8%")
                a.monthToDate
                ? null
                : countDelta(a.conversations, p?.conversations)
        }
        vs={vs}
        neutral
      >
        {pace !== null
          ? `${prospect ? `partial month to ${dateLabel(a.dataAsOf)}` : 'month to date'}: on pace for ${count(Math.round(pace))}`
          : a.monthToDate
            ? prospect
              ? 'a partial month: too short for a pace'
              : 'month to date: too early for a pace'
            : a.undated
              ? 'in the whole export (no dates)'
              : prospect && a.dataFrom?.slice(0, 7) === a.month
                ? `the export covers ${dateLabel(a.dataFrom)} – ${dateLabel(a.dataAsOf)} only`
                : `in ${monthLabel(a.month)}`}
      </Tile>
    </section>
  );
}
