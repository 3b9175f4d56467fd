// Sends the page's CSRF token with every state-changing fetch. The page carries it in
// <meta name="csrf-token" content="{{ csrf_token() }}">.
function csrfFetch(url, init = {}) {
  const token = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const headers = new Headers(init.headers);
  headers.set('X-CSRF-Token', token);
  return fetch(url, { ...init, headers, credentials: 'same-origin' });
}
