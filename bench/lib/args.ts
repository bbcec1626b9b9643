/** `--name=value` from the command line as a number (underscores allowed: `--lines=1_000_000`). */
export function numberArg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (!a) return dflt;
  const n = Number(a.split('=')[1].replace(/_/g, ''));
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}
