import { useEffect } from 'react';

/** The document title while a view is shown ("Model · Cockpit"), back to "Cockpit" when it goes. */
export function usePageTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Cockpit` : 'Cockpit';
    return () => {
      document.title = 'Cockpit';
    };
  }, [title]);
}
