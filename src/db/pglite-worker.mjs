// The PGlite worker thread's entry: the sources are TypeScript run through tsx, as in bin/orderops.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker-main.ts');
