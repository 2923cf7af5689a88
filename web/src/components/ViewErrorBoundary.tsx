/**
 * Catches what a view throws while rendering, and a view's code that cannot be downloaded (the
 * server went away, or was updated and the old chunk names are gone): the page says so and offers
 * a reload, instead of the whole app disappearing. Keyed by location in App, so moving to another
 * page tries again.
 */
import { Component, type ReactNode } from 'react';
import { ErrorState } from './QueryState.tsx';

/** a dynamic import that failed: its chunk (or its CSS) could not be fetched */
export function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically|preload CSS|Loading chunk|ChunkLoadError/i.test(
      `${error.name} ${error.message}`,
    )
  );
}

export class ViewErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const chunk = isChunkLoadError(error);
    return (
      <ErrorState
        error={
          chunk
            ? 'The page’s code could not be downloaded: the server is unreachable, or Cockpit was updated since this tab opened. Reload to get the current version.'
            : error
        }
        title={chunk ? 'This page could not be loaded' : 'This page failed to show'}
        onRetry={() => window.location.reload()}
        minHeight={320}
      />
    );
  }
}
