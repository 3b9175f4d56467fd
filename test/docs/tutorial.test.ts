// The tutorial's own tests (docs/examples/tutorial/app.test.ts), run as part of the suite,
// with the covers kept in a temporary folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.COVER_DIR = join(mkdtempSync(join(tmpdir(), 'palisade-tutorial-')), 'covers');
await import('../../docs/examples/tutorial/app.test.js');
