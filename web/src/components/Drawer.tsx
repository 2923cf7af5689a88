/** A side panel built on <dialog>: focus trap, Esc to close and inert background for free. */
import { type ReactNode, useEffect, useId, useRef } from 'react';

export function Drawer({
  open,
  onClose,
  title,
  subtitle,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const subId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby={titleId}
      aria-describedby={subtitle ? subId : undefined}
      onClose={onClose}
      onClick={(e) => {
        // a click on the backdrop lands on the dialog element itself
        if (e.target === e.currentTarget) onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      {open && (
        <div className="drawer-inner">
          <header className="drawer-head">
            <div>
              <h2 id={titleId}>{title}</h2>
              {subtitle && (
                <div id={subId} className="drawer-sub">
                  {subtitle}
                </div>
              )}
            </div>
            <button type="button" className="icon-btn" onClick={onClose} aria-label="Close panel">
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                <path
                  d="M3.5 3.5l9 9M12.5 3.5l-9 9"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  strokeLinecap="round"
                />
              </svg>
            </button>
          </header>
          {/* focusable, so the keyboard can scroll it where the browser does not make it so (Safari) */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <section className="drawer-body" tabIndex={0} aria-labelledby={titleId}>
            {children}
          </section>
        </div>
      )}
    </dialog>
  );
}
