/**
 * The README's configuration table, generated from the schema (src/config/schema.ts) and checked
 * against it: one row per variable, one table per group, between two markers.
 */
import { describeConfig, type ConfigVariableDescription } from '../src/config/describe-config.js';
import { CONFIG_GROUPS } from '../src/config/field-spec.js';

export const TABLE_START =
  '<!-- config-table:start: generated from src/config/schema.ts by `npm run docs:config` -->';
export const TABLE_END = '<!-- config-table:end -->';

const HEADER = ['variable', 'config-file field', 'default', 'meaning'];
const NONE = '—';

/** One table row as the README shows it. */
export interface TableRow {
  variable: string;
  field: string;
  default: string;
  meaning: string;
}

function code(text: string | null): string {
  return text === null || text === '' ? NONE : `\`${text}\``;
}

/** What the README must show for a schema row. */
export function expectedRow(description: ConfigVariableDescription): TableRow {
  return {
    variable: code(description.variable),
    field: code(description.field),
    default: code(description.default),
    meaning: description.doc,
  };
}

function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** The Markdown between the markers (unaligned: prettier aligns the columns). */
export function renderConfigTables(descriptions = describeConfig()): string {
  const sections = Object.entries(CONFIG_GROUPS).map(([group, title]) => {
    const rows = descriptions.filter((row) => row.group === group).map(expectedRow);
    const lines = rows.map((row) => markdownRow([row.variable, row.field, row.default, row.meaning]));
    return [`**${title}**`, '', markdownRow(HEADER), markdownRow(HEADER.map(() => '---')), ...lines].join(
      '\n',
    );
  });
  return sections.join('\n\n');
}

function markerBounds(markdown: string): [number, number] | undefined {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return [start + TABLE_START.length, end];
}

/** The README with the generated tables put between the markers. */
export function replaceConfigTables(markdown: string, tables = renderConfigTables()): string {
  const bounds = markerBounds(markdown);
  if (bounds === undefined) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${markdown.slice(0, bounds[0])}\n\n${tables}\n\n${markdown.slice(bounds[1])}`;
}

function splitCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** The body rows of every table between the markers; undefined when the markers are missing. */
export function parseConfigTables(markdown: string): TableRow[] | undefined {
  const bounds = markerBounds(markdown);
  if (bounds === undefined) return undefined;
  const lines = markdown.slice(...bounds).split('\n');
  const rows = lines.filter((line) => line.trim().startsWith('|')).map(splitCells);
  return rows
    .filter((cells) => cells[0] !== HEADER[0] && !/^:?-+:?$/.test(cells[0] ?? ''))
    .map(([variable = '', field = '', defaultText = '', meaning = '']) => ({
      variable,
      field,
      default: defaultText,
      meaning,
    }));
}

/** Every difference between the README's tables and the schema, in words; empty when they agree. */
export function findConfigTableDrift(markdown: string, descriptions = describeConfig()): string[] {
  const rows = parseConfigTables(markdown);
  if (rows === undefined) return [`no ${TABLE_START} … ${TABLE_END} markers`];
  const problems: string[] = [];
  const expected = new Map(descriptions.map((row) => [row.variable, expectedRow(row)]));
  const seen = new Set<string>();
  for (const row of rows) {
    const names = row.variable.match(/`[^`]*`/g) ?? [];
    if (names.length !== 1) {
      problems.push(`a row must name exactly one variable: ${row.variable}`);
      continue;
    }
    const variable = names[0]!.slice(1, -1);
    const wanted = expected.get(variable);
    if (wanted === undefined) problems.push(`${variable}: not in the schema`);
    else if (seen.has(variable)) problems.push(`${variable}: listed twice`);
    else {
      for (const column of ['field', 'default', 'meaning'] as const) {
        if (row[column] !== wanted[column])
          problems.push(`${variable}: ${column} is ${row[column]}, the schema says ${wanted[column]}`);
      }
    }
    seen.add(variable);
  }
  for (const variable of expected.keys()) if (!seen.has(variable)) problems.push(`${variable}: missing`);
  return problems;
}
