import { score } from '../../lib/format.ts';

/** A 1–5 value as a small meter. */
export function ScoreMeter({ value, label }: { value: number | null; label: string }) {
  const w = value == null ? 0 : Math.max(0, Math.min(1, (value - 1) / 4));
  const tone = value == null ? '' : value < 2.5 ? 'bad' : value < 3.5 ? 'mid' : 'good';
  return (
    <span className={`meter meter-${tone}`} role="img" aria-label={`${label} ${score(value)} out of 5`}>
      <span className="meter-fill" style={{ width: `${w * 100}%` }} />
    </span>
  );
}

/** A conversation's three CX sub-signals, each as a meter and its value. */
export function SubSignals({
  resolution,
  sentiment,
  effort,
}: {
  resolution: number | null;
  sentiment: number | null;
  effort: number | null;
}) {
  return (
    <dl className="signals signals-compact">
      {(
        [
          ['Resolution', resolution],
          ['Sentiment', sentiment],
          ['Effort', effort],
        ] as const
      ).map(([label, v]) => (
        <div key={label} className="signal">
          <dt>{label}</dt>
          <dd>
            <ScoreMeter value={v} label={label} />
            <span className="num">{score(v)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
