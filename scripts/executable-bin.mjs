// `npm run build` runs this after tsc: the package's bin (dist/cli/main.js, `npx tessera`) must be
// executable. tsc writes new files 0644, and npm marks the project's own bin executable only at install
// time, when dist/ may not exist yet (a fresh clone: npm ci, then the build).
import { chmodSync } from 'node:fs';
import { URL } from 'node:url';

chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
