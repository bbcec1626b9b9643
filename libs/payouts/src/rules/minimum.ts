import { parseMajor } from '@fairshare/money';

/**
 * The payout minimum of a currency, from one configured major-unit decimal (PAYOUT_MINIMUM_MAJOR,
 * "10.00"). Trailing zero decimals a currency does not have are dropped ("10.00" JPY → 10), so
 * one setting serves every currency; a minimum finer than the currency's unit is refused.
 */
export function minimumMinor(major: string, currency: string): bigint {
  try {
    return parseMajor(major, currency);
  } catch (err) {
    const trimmed = major.includes('.') ? major.replace(/0+$/, '').replace(/\.$/, '') : major;
    if (trimmed === major) throw err;
    return parseMajor(trimmed, currency);
  }
}
