import type { LicenceRow, OfferRow, RegisterLicenceRow, Work } from '@fairshare/persistence';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toOffer = (o: OfferRow) => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  description: o.description,
  uses: o.uses,
  commercial: o.commercial,
  currency: o.currency,
  priceMinor: o.priceMinor.toString(),
  termDays: o.termDays,
  adminFeeBps: o.adminFeeBps,
  distributionKey: o.distributionKey,
  usageUnit: o.usageUnit,
  tiers: o.tiers.map((t) => ({ code: t.code, label: t.label, priceMinor: t.priceMinor.toString() })),
  workCount: o.workCount,
  active: o.active,
  createdAt: o.createdAt.toISOString(),
});

export const toLicence = (l: LicenceRow) => ({
  id: l.id,
  offerId: l.offerId,
  offerName: l.offerName,
  organisationId: l.organisationId,
  organisationName: l.organisationName,
  tier: l.tier,
  status: l.status,
  kind: l.kind,
  uses: l.uses,
  commercial: l.commercial,
  currency: l.currency,
  priceMinor: l.priceMinor.toString(),
  termDays: l.termDays,
  adminFeeBps: l.adminFeeBps,
  distributionKey: l.distributionKey,
  usageUnit: l.usageUnit,
  startsAt: iso(l.startsAt),
  endsAt: iso(l.endsAt),
  cancelledAt: iso(l.cancelledAt),
  revokedAt: iso(l.revokedAt),
  amountPaidMinor: l.amountPaidMinor.toString(),
  amountRefundedMinor: l.amountRefundedMinor.toString(),
  disputeStatus: l.disputeStatus,
  workCount: l.workCount,
  manifestSha256: l.manifestSha256,
  createdAt: l.createdAt.toISOString(),
});

export const toRegisterLicence = (r: RegisterLicenceRow, showPrices: boolean) => ({
  licenceId: r.licenceId,
  organisation: r.organisationName,
  offer: { id: r.offerId, name: r.offerName },
  kind: r.kind,
  uses: r.uses,
  commercial: r.commercial,
  status: r.status,
  startsAt: r.startsAt.toISOString(),
  endsAt: iso(r.endsAt),
  revokedAt: iso(r.revokedAt),
  workCount: r.workCount,
  ...(showPrices ? { currency: r.currency, priceMinor: r.priceMinor.toString() } : {}),
});

export const toRegisterWork = (w: Work) => ({ id: w.id, title: w.title, mediaType: w.mediaType, contentHash: w.contentHash });
