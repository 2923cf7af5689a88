/**
 * The top bar's signed-in user and Sign out (OIDC sign-in only: the health answer names where to
 * sign out). Signing out is a POST — a link elsewhere must not sign anyone out. Sent with fetch, so
 * the request carries the page's real Origin: a plain form's is "null" under the pages' no-referrer
 * policy, which only Sec-Fetch-Site can vouch for, and Safari before 16.4 sends none. The form
 * still works on its own if the script's request fails.
 */
import type { FormEvent } from 'react';

export function SignOut({
  action,
  user,
  role,
}: {
  action: string;
  user: string | null;
  role: string | null;
}) {
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    try {
      const res = await fetch(action, { method: 'POST', credentials: 'same-origin' });
      if (res.ok) {
        window.location.assign(res.redirected ? res.url : '/auth/signed-out');
        return;
      }
    } catch {
      // offline or refused: the form's own submission says what happened
    }
    form.submit();
  };
  return (
    <form method="post" action={action} className="topbar-session" onSubmit={onSubmit}>
      {user && (
        <span className="topbar-user" title={`Signed in as ${user}${role ? ` (${role})` : ''}`}>
          {user}
        </span>
      )}
      <button
        type="submit"
        className="btn btn-secondary btn-sm"
        data-testid="sign-out"
        aria-label="Sign out"
        title={user ? `Sign out ${user}` : 'Sign out'}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" className="sign-out-icon">
          <path
            d="M9 21H5a2 2 0 01-2-2V5a2 2 0 012-2h4M16 17l5-5-5-5M21 12H9"
            stroke="currentColor"
            strokeWidth="2"
            fill="none"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <span className="sign-out-text">Sign out</span>
      </button>
    </form>
  );
}
