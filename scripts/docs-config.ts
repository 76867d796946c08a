/** `npm run docs:config`: rewrites README.md's configuration table from the schema, formatted by prettier. */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { replaceConfigTables } from './config-table.js';

const path = new URL('../README.md', import.meta.url).pathname;
const options = (await resolveConfig(path)) ?? {};
const readme = await format(replaceConfigTables(readFileSync(path, 'utf8')), { ...options, filepath: path });
writeFileSync(path, readme);
console.log('README.md: configuration table written from src/config/schema.ts');
