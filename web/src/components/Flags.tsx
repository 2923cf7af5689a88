import type { Flag, FlagKind } from '../api/server-types.ts';

export const FLAG_LABELS: Record<FlagKind, string> = {
  plateau: 'Plateau',
  climbing: 'Climbing',
  declining: 'Declining',
  low_cx: 'Low CX',
};

/** Flag chips; the reason shows on hover (title) and is read by screen readers. */
export function Flags({ flags }: { flags: readonly Flag[] }) {
  if (!flags.length) return null;
  return (
    <span className="flags">
      {flags.map((f) => (
        <span key={f.kind} className={`flag flag-${f.kind}`} title={f.reason}>
          {FLAG_LABELS[f.kind]}
          <span className="sr-only">: {f.reason}</span>
        </span>
      ))}
    </span>
  );
}
