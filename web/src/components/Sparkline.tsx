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
  const first = values.find((v) => v != null);
  const last = [...values].reverse().find((v) => v != null);
  const desc = `${label}: ${pct(first)} to ${pct(last)} over ${values.length} months`;
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
