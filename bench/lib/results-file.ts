import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Writes a benchmark's machine-readable results (pretty JSON, trailing newline, so diffs between
 * runs stay readable), creating the results directory on first use.
 */
export async function writeResultsFile(target: URL, document: unknown): Promise<string> {
  const path = fileURLToPath(target);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  return path;
}
