import { useSyncExternalStore } from 'react';

/** True while the media query matches (e.g. to give charts a compact layout on phones). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const mql = window.matchMedia(query);
      mql.addEventListener('change', onChange);
      return () => mql.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

export const NARROW = '(max-width: 600px)';

/**
 * Where the Account page's topic table no longer fits its card (about 1,010 px of window, a tablet
 * or a laptop at 200% zoom): it leads with the gap and the automation it is sorted by, as on a
 * phone, instead of cutting "Automation / achievable" mid-number with the gap off-screen.
 */
export const TABLE_NARROW = '(max-width: 1023px)';
