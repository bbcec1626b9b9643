import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { Forbidden, NotFound, UnprocessableEntity, ValidationFailed } from '@fairshare/domain';
import { formatMajor } from '@fairshare/money';
import { LicenceRepository, OfferRepository } from '@fairshare/persistence';
import { AuditService, IdempotencyService, type Principal } from '@fairshare/platform';
import { StripeGateway } from '@fairshare/stripe';
import { fromStripeError } from './stripe-errors';

export interface PurchaseResult {
  licenceId: string;
  checkoutUrl: string;
}

/**
 * Buying a licence: a `pending_payment` licence with the offer's terms snapshotted, and a Stripe
 * Checkout Session for it. Only the signed webhook activates it.
 */
@Injectable()
export class LicencePurchaseService {
  constructor(
    private readonly config: AppConfig,
    private readonly offers: OfferRepository,
    private readonly licences: LicenceRepository,
    private readonly stripe: StripeGateway,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  async purchase(principal: Principal, input: { offerId: string; tier?: string }, idempotencyKey: string | undefined) {
    if (principal.kind !== 'user' || !principal.organisationId) throw new Forbidden('ORGANISATION_MEMBER_REQUIRED', 'Sign in as a member of a licensee organisation.');
    const organisationId = principal.organisationId;
    return this.idempotency.execute<PurchaseResult>(
      { scope: `licences:${organisationId}`, key: idempotencyKey, request: { offerId: input.offerId, tier: input.tier ?? null } },
      async (em) => {
        const offer = await this.offers.findById(input.offerId, em);
        if (!offer) throw new NotFound('OFFER_NOT_FOUND', `No offer ${input.offerId}.`);
        if (!offer.active) throw new UnprocessableEntity('OFFER_CLOSED', 'This offer is closed to new purchases.');
        let price = offer.priceMinor;
        let tier: string | null = null;
        if (offer.tiers.length > 0) {
          if (!input.tier) throw new ValidationFailed('TIER_REQUIRED', 'This offer is priced by tier: send one of its tier codes.', { tiers: offer.tiers.map((t) => t.code) });
          const found = offer.tiers.find((t) => t.code === input.tier);
          if (!found) throw new ValidationFailed('TIER_UNKNOWN', `Unknown tier ${input.tier}.`, { tiers: offer.tiers.map((t) => t.code) });
          price = found.priceMinor;
          tier = found.code;
        } else if (input.tier) {
          throw new ValidationFailed('TIER_UNKNOWN', 'This offer has no tiers.');
        }
        const licenceId = await this.licences.insert(em, {
          offerId: offer.id,
          organisationId,
          purchasedBy: principal.userId,
          tier,
          kind: offer.kind,
          uses: offer.uses,
          commercial: offer.commercial,
          currency: offer.currency,
          priceMinor: price,
          termDays: offer.termDays,
          adminFeeBps: offer.adminFeeBps,
          distributionKey: offer.distributionKey,
          usageUnit: offer.usageUnit,
        });
        // Stripe is called inside our transaction: its idempotency key is derived from the
        // licence ID, so if we roll back nothing refers to the session and a retry makes a new
        // licence (hence a new key); if Stripe fails, nothing of ours is committed.
        const portal = this.config.PUBLIC_URL.replace(/\/+$/, '');
        const session = await this.stripe
          .createCheckoutSession({
            clientReferenceId: licenceId,
            amountMinor: price,
            currency: offer.currency,
            productName: `Fairshare licence: ${offer.name}${tier ? ` (${tier})` : ''}`,
            successUrl: `${portal}/licences/${licenceId}?checkout=success&session={CHECKOUT_SESSION_ID}`,
            cancelUrl: `${portal}/licences/${licenceId}?checkout=cancelled`,
            customerEmail: principal.email,
            metadata: { licence_id: licenceId, organisation_id: organisationId, offer_id: offer.id },
            idempotencyKey: `licence-checkout-${licenceId}`,
          })
          .catch((err: unknown) => {
            throw fromStripeError(err);
          });
        if (!session.url) throw new UnprocessableEntity('CHECKOUT_UNAVAILABLE', 'Stripe created a checkout session without a payment page.');
        await this.licences.setCheckoutSession(em, licenceId, session.id);
        await this.audit.record(em, {
          action: 'licence.checkout_started',
          resourceType: 'licence',
          resourceId: licenceId,
          details: { offerId: offer.id, tier, price: formatMajor(price, offer.currency), currency: offer.currency, checkoutSessionId: session.id },
        });
        return { status: 201, body: { licenceId, checkoutUrl: session.url } };
      },
    );
  }
}
