/**
 * One CSV cell for files Fairshare hands out (rejection lists). A cell a spreadsheet would read as
 * a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe;
 * cells holding a comma, quote or line break are quoted, with quotes doubled.
 */
export function csvCell(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csvRow(cells: (string | number | bigint | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
