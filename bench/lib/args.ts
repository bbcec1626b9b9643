/** `--name=value` from the command line, or undefined. */
export function stringArg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((x) => x.startsWith(prefix))?.slice(prefix.length);
}

/** `--name=value` from the command line as a number (underscores allowed: `--lines=1_000_000`). */
export function numberArg(name: string, dflt: number): number {
  const a = stringArg(name);
  if (a === undefined) return dflt;
  const n = Number(a.replace(/_/g, ''));
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}
