/**
 * Runs one TypeScript block as a module (`node --import tsx run-block.ts <file> [serve]`), after
 * setting the placeholders. A block passes when its top-level code completes without throwing; what it
 * leaves running in the background (a revocation poller) is ended by exiting, as a reader's script
 * would be stopped. A server example (`serve`) keeps running: the doc test drives it, then stops it.
 */
import { pathToFileURL } from 'node:url';
import { installPlaceholders, type DocTestContext } from './doc-placeholders.js';

const [file, mode] = process.argv.slice(2);
if (file === undefined) throw new TypeError('usage: run-block.ts <block.ts> [serve]');
await installPlaceholders(JSON.parse(process.env.DOC_TEST_CONTEXT ?? '') as DocTestContext);
await import(pathToFileURL(file).href);
if (mode !== 'serve') process.exit(0);
