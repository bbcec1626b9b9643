import { applyBps } from '@fairshare/money';

/**
 * Rule 3 — the collective's fee on a recognised amount R: floor(R × bps / 10000), and for a
 * negative R (a clawback) −floor(|R| × bps / 10000), so a reversal mirrors the original exactly.
 * The net N = R − fee goes to the works.
 */
export function fee(recognised: bigint, adminFeeBps: number): bigint {
  return applyBps(recognised, adminFeeBps);
}
