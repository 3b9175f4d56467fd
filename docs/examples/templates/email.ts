import { app } from './app.js';

// An e-mail rendered outside any request, in a render environment of its own: its links
// are absolute, and templates know its reader as current_user.
export function welcomeEmail(user: string): string {
  return app
    .render('welcome.html', {}, {
      urlFor: (name, params) => `https://notes.example${app.urlFor(name, params)}`,
      globals: { current_user: user },
    })
    .toString();
}
