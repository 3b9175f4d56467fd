// Must NOT compile: each line marked `// error: <text>` must fail with that text, and
// nothing else may fail (test/types/must-fail.test.ts runs tsc on this folder). Checked
// apart from `npm run typecheck`, which excludes this folder.
import { Blueprint, createApp, type RouteOptions } from '../../../src/index.js';

// An app's own route option, declared by merging, compiles (and is checked like the rest).
declare module '../../../src/index.js' {
  interface RouteOptions {
    audit?: 'log' | 'skip';
  }
}

const app = createApp();
const handler = () => 'ok';

app.post('/webhook', handler, { csrf: false, audit: 'log' });
app.post('/typo', handler, { crsf: false }); // error: 'crsf' does not exist in type 'RouteOptions &
app.post('/typo', handler, { maxBodySise: 1 }); // error: 'maxBodySise' does not exist in type 'RouteOptions &
app.post('/typo', handler, { upload: true }); // error: 'upload' does not exist in type 'RouteOptions &
app.get('/typo', handler, { allowTopLevelArrays: true }); // error: 'allowTopLevelArrays' does not exist in type 'RouteOptions &
app.post('/typo', handler, { audit: 'yes' }); // error: Type '"yes"' is not assignable to type '"log" | "skip" | undefined'
app.post('/typo', handler, { csrf: 'no' }); // error: Type 'string' is not assignable to type 'boolean | undefined'

// Through a variable, an object with no known option at all is caught too (a weak type).
const loose = { crsf: false };
app.post('/typo', handler, loose); // error: has no properties in common with type 'RouteOptions &

const bp = new Blueprint('api', { routeDefaults: { crsf: false } }); // error: 'crsf' does not exist in type 'RouteOptions'
const ok: RouteOptions = { name: 'x', maxBodySize: 1, uploads: true, allowTopLevelArray: true, jsonMaxDepth: 3, cors: false, crossSiteLoad: true, xssiPrefix: true };
void bp;
void ok;
