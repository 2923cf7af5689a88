/**
 * A definition on hover and on keyboard focus: an (i) button described by a tooltip. The bubble is
 * fixed-positioned from the button's rect while it shows, so a table's scroll container or a card's
 * overflow does not clip it (a header's definition was cut off at the table's edge).
 */
import { type CSSProperties, useCallback, useId, useLayoutEffect, useRef, useState } from 'react';
import { placeBubble, type TipAlign } from './tipPlacement.ts';

const UNPLACED: CSSProperties = {
  visibility: 'hidden',
  position: 'fixed',
  left: 0,
  top: 0,
  right: 'auto',
  transform: 'none',
};

export function InfoTip({
  text,
  label,
  align = 'center',
}: {
  text: string;
  label: string;
  align?: TipAlign;
}) {
  const id = useId();
  // Escape hides the bubble without moving focus (WCAG 1.4.13); leaving the tip shows it again next time
  const [dismissed, setDismissed] = useState(false);
  const [style, setStyle] = useState<CSSProperties | undefined>(undefined);
  // hover and focus apart: a clicked (i) keeps focus after the mouse leaves, and still shows
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const active = hovered || focused;
  const button = useRef<HTMLButtonElement>(null);
  const bubble = useRef<HTMLSpanElement>(null);

  const place = useCallback(() => {
    const b = button.current;
    const t = bubble.current;
    if (!b || !t) return;
    const { left, top } = placeBubble(
      b.getBoundingClientRect(),
      t.offsetWidth,
      t.offsetHeight,
      { width: window.innerWidth, height: window.innerHeight },
      align,
    );
    setStyle({ position: 'fixed', left, top, right: 'auto', transform: 'none' });
  }, [align]);

  // before paint: the bubble shows through CSS (:hover, :focus-within) and is hidden until placed,
  // so it never flashes at its old spot
  useLayoutEffect(() => {
    if (!active) {
      setStyle(undefined);
      return;
    }
    place();
    window.addEventListener('scroll', place, { capture: true, passive: true });
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, { capture: true });
      window.removeEventListener('resize', place);
    };
  }, [active, place]);

  return (
    <span className={`tip tip-${align}${dismissed ? ' tip-dismissed' : ''}`}>
      <button
        ref={button}
        type="button"
        className="tip-btn"
        aria-label={`Definition: ${label}`}
        aria-describedby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !dismissed) {
            setDismissed(true);
            e.stopPropagation();
            // inside a <dialog>, Escape's default action closes the whole panel
            e.preventDefault();
          }
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setDismissed(false);
          setFocused(false);
        }}
        onMouseEnter={() => {
          setDismissed(false);
          setHovered(true);
        }}
        onMouseLeave={() => setHovered(false)}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M8 7.2v4M8 4.8v.2" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      <span
        ref={bubble}
        role="tooltip"
        id={id}
        className="tip-bubble"
        // shown and measured where it will go (fixed, from the window's left edge): measured in place,
        // a bubble at the right edge of a phone shrank to the room left of its button, was placed for
        // that width, then grew back to its own and ran off the screen
        style={active && !dismissed ? { display: 'block', ...(style ?? UNPLACED) } : undefined}
      >
        {text}
      </span>
    </span>
  );
}
