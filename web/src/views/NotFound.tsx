import { Link } from 'wouter';
import { usePageTitle } from '../lib/usePageTitle.ts';

export function NotFound({
  title = 'Page not found',
  message = 'There is nothing at this address.',
}: {
  title?: string;
  message?: string;
}) {
  usePageTitle(title);
  return (
    <section className="notfound" aria-labelledby="nf-title">
      <p className="notfound-code" aria-hidden="true">
        404
      </p>
      <h1 id="nf-title">{title}</h1>
      <p className="muted">{message}</p>
      <Link href="/" className="btn btn-primary">
        Back to accounts
      </Link>
    </section>
  );
}

export function ComingSoon({ title }: { title: string }) {
  return (
    <section className="notfound" aria-labelledby="cs-title">
      <h1 id="cs-title">{title}</h1>
      <p className="muted">This view is being built. Check back soon.</p>
      <Link href="/" className="btn btn-secondary">
        Back to accounts
      </Link>
    </section>
  );
}
