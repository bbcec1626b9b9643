/**
 * CSV cells safe to open in a spreadsheet: RFC 4180 quoting, and any cell that a spreadsheet
 * would read as a formula (starting with = + - @, tab or carriage return) is prefixed with a
 * single quote (OWASP "CSV injection"). Amounts are written as plain digits by the caller and
 * a leading minus of a number is kept: only non-numeric cells are neutralised.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | bigint | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
