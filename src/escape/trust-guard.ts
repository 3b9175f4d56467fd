/**
 * A hook called by every constructor that trusts a raw string (`Markup.unsafeTrust`,
 * `|safe`, the URL, script and style kinds). The app installs a guard in development and
 * test that throws when the text contains a value from the current request; in production
 * no guard is installed and the call costs one comparison. See docs/templates.md.
 */
export type TrustKind = 'html' | 'url' | 'script' | 'style';
export type TrustGuard = (kind: TrustKind, text: string) => void;

let guard: TrustGuard | null = null;

/** Installs (or, with `null`, removes) the guard. Internal: the app calls it. */
export function setTrustGuard(fn: TrustGuard | null): void {
  guard = fn;
}

/** Runs the installed guard, if any. */
export function checkTrust(kind: TrustKind, text: string): void {
  if (guard !== null) guard(kind, text);
}
