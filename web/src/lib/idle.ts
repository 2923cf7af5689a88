/**
 * Runs `steps` in order while the browser is idle, as many per idle period as fit; returns a cancel.
 *
 * Safari has no requestIdleCallback (none up to at least 18), so it is looked up at the call, never
 * assumed: without it every step runs once, soon after (200 ms), in one go. This is the one module
 * of web/src that may name requestIdleCallback (tests/browser-support.test.ts).
 */
export function whenIdle(steps: readonly (() => void)[]): () => void {
  let next = 0;
  if (typeof requestIdleCallback !== 'function') {
    const id = setTimeout(() => {
      for (const step of steps) step();
    }, 200);
    return () => clearTimeout(id);
  }
  let id = 0;
  const run = (deadline: IdleDeadline) => {
    do steps[next++]?.();
    while (next < steps.length && (deadline.timeRemaining() > 5 || deadline.didTimeout));
    if (next < steps.length) id = requestIdleCallback(run, { timeout: 2000 });
  };
  id = requestIdleCallback(run, { timeout: 2000 });
  return () => cancelIdleCallback(id);
}
