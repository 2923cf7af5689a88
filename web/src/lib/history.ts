/**
 * Whether the route being shown was reached by Back or Forward (a popstate within the last second),
 * not by a link: then a page returns to where it was left instead of its top.
 */
let poppedAt = 0;
if (typeof window !== 'undefined')
  window.addEventListener('popstate', () => {
    poppedAt = Date.now();
  });

export function cameBack(): boolean {
  return Date.now() - poppedAt < 1000;
}
