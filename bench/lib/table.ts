/** A plain-text table for benchmark reports: aligned columns, a header rule, optional group breaks. */

export interface Column<Row> {
  readonly header: string;
  readonly align?: 'left' | 'right';
  readonly value: (row: Row) => string;
}

/**
 * Renders rows as aligned text. `groupBy` inserts a blank line whenever its value changes between
 * consecutive rows, so long result lists stay scannable (e.g. one block per algorithm).
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  groupBy?: (row: Row) => string,
): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const pad = (text: string, index: number): string =>
    columns[index]!.align === 'right' ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const formatLine = (line: readonly string[]): string => line.map(pad).join('  ').trimEnd();

  const lines = [
    formatLine(columns.map((column) => column.header)),
    widths.map((w) => '-'.repeat(w)).join('  '),
  ];
  let previousGroup: string | undefined;
  rows.forEach((row, index) => {
    const group = groupBy?.(row);
    if (previousGroup !== undefined && group !== previousGroup) lines.push('');
    previousGroup = group;
    lines.push(formatLine(cells[index]!));
  });
  return lines.join('\n');
}
