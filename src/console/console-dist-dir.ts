import { fileURLToPath } from 'node:url';

/** Where `npm run build:console` (console/vite.config.ts) writes the console and the server reads it. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../dist/console', import.meta.url));
