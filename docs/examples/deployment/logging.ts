import { createApp } from 'palisade';

// Warnings (refused requests) and errors only; `logger: false` logs nothing at all.
export const app = createApp({ logger: { level: 'warn' } });

app.get('/report', () => {
  const rows = [3, 1, 2];
  // Build costly log fields only when they will be written.
  if (app.isLogging('debug')) app.logger.debug({ rows: rows.toSorted() }, 'report built');
  return `${rows.length} rows`;
});
