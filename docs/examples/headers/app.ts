import { compileTemplate, createApp, cspReportHandler, CSP_REPORT_ROUTE, Response } from 'palisade';

export const app = createApp({
  headers: {
    csp: {
      // Merged over the defaults: images may also come from the CDN.
      directives: { 'img-src': ["'self'", 'data:', 'https://images.example.com'] },
      reportUri: '/csp-report',
    },
    frameOptions: 'DENY',
  },
});

// Browsers POST violation reports here; they carry no CSRF token.
app.post('/csp-report', cspReportHandler(), CSP_REPORT_ROUTE);

// Templates add the response's nonce to every <script> and <style> they write.
const page = compileTemplate(`<!doctype html>
<title>Notes</title>
<style>h1 { color: teal }</style>
<h1>{{ title }}</h1>
<script>console.log('runs: it carries the nonce')</script>`);

app.get('/', () => page.render({ title: 'My notes' }));

// A header the handler sets itself is left alone.
app.get('/raw.txt', () => {
  const res = Response.text('user text');
  res.setHeader('content-security-policy', 'sandbox');
  return res;
});
