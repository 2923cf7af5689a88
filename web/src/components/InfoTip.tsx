/** A definition on hover and on keyboard focus: an (i) button described by a tooltip. */
import { useId, useState } from 'react';

export function InfoTip({
  text,
  label,
  align = 'center',
}: {
  text: string;
  label: string;
  align?: 'start' | 'center' | 'end';
}) {
  const id = useId();
  // Escape hides the bubble without moving focus (WCAG 1.4.13); leaving the tip shows it again next time
  const [dismissed, setDismissed] = useState(false);
  return (
    <span className={`tip tip-${align}${dismissed ? ' tip-dismissed' : ''}`}>
      <button
        type="button"
        className="tip-btn"
        aria-label={`Definition: ${label}`}
        aria-describedby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !dismissed) {
            setDismissed(true);
            e.stopPropagation();
          }
        }}
        onBlur={() => setDismissed(false)}
        onMouseEnter={() => setDismissed(false)}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M8 7.2v4M8 4.8v.2" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      <span role="tooltip" id={id} className="tip-bubble">
        {text}
      </span>
    </span>
  );
}
