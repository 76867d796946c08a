/**
 * How the CLI writes: results on stdout (tables for people, --json for scripts), everything else
 * (progress, prompts, errors) on stderr, so `tessera users list --json | jq` always gets clean JSON.
 */

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

const COLORS: Palette = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  magenta: sgr(35, 39),
};

const identity = (text: string) => text;
const PLAIN: Palette = {
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
  magenta: identity,
};

export function createPalette(enabled: boolean): Palette {
  return enabled ? COLORS : PLAIN;
}

/** Colour only for a terminal, and never when asked not to (--no-color, NO_COLOR, TERM=dumb). */
export function wantsColor(stream: { isTTY?: boolean }, noColorFlag: boolean): boolean {
  const env = process.env;
  return stream.isTTY === true && !noColorFlag && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** Pretty JSON (2 spaces) with keys, strings, numbers and literals coloured by the palette. */
export function formatJson(value: unknown, palette: Palette, indent = ''): string {
  if (value === null || typeof value === 'boolean') return palette.magenta(String(value));
  if (typeof value === 'number') return palette.yellow(JSON.stringify(value));
  if (typeof value === 'string') return palette.green(JSON.stringify(value));
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => `${inner}${formatJson(item, palette, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const members = entries.map(
      ([key, member]) =>
        `${inner}${palette.cyan(JSON.stringify(key))}: ${formatJson(member, palette, inner)}`,
    );
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return palette.dim(JSON.stringify(value) ?? 'undefined');
}

/**
 * Left-aligned columns two spaces apart; the last column is not padded (no trailing blanks). Cells
 * come from users (names, user agents): control characters are shown as "?" so none can drive the terminal.
 */
export function formatTable(headers: readonly string[], table: readonly (readonly string[])[]): string {
  const rows = table.map((row) => row.map((cell) => cell.replace(/[\p{Cc}\p{Cf}]/gu, '?')));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ');
  return [line(headers), ...rows.map(line)].join('\n');
}

export function writeOut(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function writeJson(value: unknown): void {
  writeOut(JSON.stringify(value, null, 2));
}

/** A note for the person at the terminal (stderr), e.g. "Created user …" next to --json output. */
export function writeNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

/**
 * Shows "message…" on stderr while slow work runs, and erases it when done. Only on a terminal:
 * in a pipe or a log a progress line is noise, and errors must stay one line.
 */
export async function withProgress<T>(message: string, work: () => Promise<T>): Promise<T> {
  const stderr = process.stderr;
  if (!stderr.isTTY) return work();
  stderr.write(`${message}…`);
  try {
    return await work();
  } finally {
    stderr.write('\r\x1b[2K');
  }
}
