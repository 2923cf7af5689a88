/** Remembers the triage table's query string so "back to accounts" restores sort and filters. */
let lastTriageSearch = '';

export function rememberTriageSearch(search: string) {
  lastTriageSearch = search.startsWith('?') ? search.slice(1) : search;
}

export function triageHref(): string {
  return lastTriageSearch ? `/?${lastTriageSearch}` : '/';
}
