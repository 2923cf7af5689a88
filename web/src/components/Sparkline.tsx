import { sparkline } from '../charts/sparkline.ts';
import { pct } from '../lib/format.ts';

// the triage's Trend column is 76 px with its padding
const W = 64;
const H = 24;

/** Tiny inline SVG trend (one per table row; cheaper than a chart instance). */
export function Sparkline({
  values,
  label = 'Automation rate trend',
  lastInProgress = false,
}: {
  values: readonly (number | null)[];
  label?: string;
  /** the last value is the month in progress: drawn dashed to a hollow dot, not in the colour */
  lastInProgress?: boolean;
}) {
  const g = sparkline(values, W, H, 3, undefined, lastInProgress);
  if (!g.last) return <span className="muted">—</span>;
  const partial = lastInProgress && values.at(-1) != null;
  const from = values.findIndex((v) => v != null);
  const complete = partial ? values.slice(0, -1) : values;
  // -1: no complete month with a rate (an account new this month), so no span to say
  const lastComplete = [...complete].reverse().findIndex((v) => v != null);
  const to = lastComplete < 0 ? -1 : complete.length - 1 - lastComplete;
  // the months with data, not the width of the window: an account 6 months old read "over 12 months"
  const months = to - from + 1;
  const span =
    to >= from
      ? `${pct(values[from])} to ${pct(values[to])} over ${months} ${months === 1 ? 'month' : 'months'}`
      : '';
  const soFar = partial ? `${span ? '; ' : ''}${pct(values.at(-1))} in the month so far` : '';
  const desc = `${label}: ${span}${soFar}`;
  return (
    <svg
      className={`spark spark-${g.direction}`}
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={desc}
    >
      <title>{desc}</title>
      <path d={g.path} fill="none" strokeWidth="1.6" strokeLinejoin="round" strokeLinecap="round" />
      {g.tail && (
        <path className="spark-tail" d={g.tail} fill="none" strokeWidth="1.2" strokeDasharray="2 2" />
      )}
      <circle className={partial ? 'spark-open' : undefined} cx={g.last.x} cy={g.last.y} r="2.2" />
    </svg>
  );
}
