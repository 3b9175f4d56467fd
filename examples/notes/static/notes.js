// The notes page's script, loaded with the page's CSP nonce. It asks the JSON API who is
// signed in, and saves quick notes with fetch, sending the page's CSRF token in the
// X-CSRF-Token header (docs/forms-and-csrf.md#fetch-and-javascript). Text goes into the
// page with textContent only.
const status = document.getElementById('api-status');
const quick = document.getElementById('quick-note');
const token = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

async function api(url, init = {}) {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== 'GET') headers.set('X-CSRF-Token', token);
  const res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  return { status: res.status, data: await res.json() };
}

async function showStatus() {
  const [me, list] = await Promise.all([api('/api/me'), api('/api/notes')]);
  if (me.status !== 200) {
    status.textContent = 'Not signed in.';
    return;
  }
  const notes = Array.isArray(list.data) ? list.data : list.data.notes;
  status.textContent = `Signed in as ${me.data.user.username} · ${notes.length} note${notes.length === 1 ? '' : 's'} (from /api/notes)`;
  status.dataset.state = 'ready';
  quick.hidden = false;
}

quick.addEventListener('submit', async (event) => {
  event.preventDefault();
  const title = quick.elements.title.value;
  const res = await api('/api/notes', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status === 201) location.reload();
  // A 422 is RFC 9457 problem details: each issue has the field's path and a message.
  else status.textContent = res.data.errors?.map((e) => `${e.path.join('.')}: ${e.message}`).join('; ') ?? `Could not save (${res.status}).`;
});

showStatus().catch((err) => {
  status.textContent = `The API did not answer: ${err}`;
});
