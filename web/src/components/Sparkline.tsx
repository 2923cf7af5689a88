import { sparkline } from '../charts/sparkline.ts';
import { pct } from '../lib/format.ts';

// the triage's Trend column is 76 px with its padding
const W = 64;
const H = 24;

/** Tiny inline SVG trend (one per table row; cheaper than a chart instance). */
export function Sparkline({
  values,
  label = 'Automation rate trend',
}: {
  values: readonly (number | null)[];
  label?: string;
}) {
  const g = sparkline(values, W, H, 3);
  if (!g.path) return <span className="muted">—</span>;
  const from = values.findIndex((v) => v != null);
  const to = values.length - 1 - [...values].reverse().findIndex((v) => v != null);
  // the months with data, not the width of the window: an account 6 months old read "over 12 months"
  const months = to - from + 1;
  const desc = `${label}: ${pct(values[from])} to ${pct(values[to])} over ${months} ${months === 1 ? 'month' : 'months'}`;
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
      {g.last && <circle cx={g.last.x} cy={g.last.y} r="2.2" />}
    </svg>
  );
}
