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
