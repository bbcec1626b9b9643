import { Injectable } from '@nestjs/common';
import { NotFound, UnprocessableEntity } from '@fairshare/domain';
import { LicenceRepository } from '@fairshare/persistence';
import { AuditService, IdempotencyService, type Principal } from '@fairshare/platform';
import { StripeGateway } from '@fairshare/stripe';
import { fromStripeError } from './stripe-errors';

export interface RefundRequestBody {
  id: string;
  licenceId: string;
  amountMinor: string;
  currency: string;
  status: 'submitted';
  stripeRefundId: string;
}

/**
 * Admin refunds: a Stripe refund whose idempotency key derives from our refund row's ID. The
 * money is recorded when Stripe's `charge.refunded` webhook arrives, like any other refund.
 */
@Injectable()
export class RefundService {
  constructor(
    private readonly licences: LicenceRepository,
    private readonly stripe: StripeGateway,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  async refund(principal: Principal, licenceId: string, amountMinor: bigint, idempotencyKey: string | undefined) {
    return this.idempotency.execute<RefundRequestBody>(
      { scope: `licence-refunds:${licenceId}`, key: idempotencyKey, request: { amountMinor: amountMinor.toString() } },
      async (em) => {
        const licence = await this.licences.lockById(em, licenceId);
        if (!licence) throw new NotFound('LICENCE_NOT_FOUND', `No licence ${licenceId}.`);
        if (!licence.stripePaymentIntentId || licence.amountPaidMinor === 0n) throw new UnprocessableEntity('LICENCE_NOT_PAID', 'Only a paid licence can be refunded.');
        const refundable = licence.amountPaidMinor - licence.amountRefundedMinor;
        if (amountMinor > refundable) {
          throw new UnprocessableEntity('REFUND_EXCEEDS_PAID', `At most ${refundable} ${licence.currency} minor units can still be refunded.`, { refundableMinor: refundable.toString() });
        }
        const refundId = await this.licences.insertRefund(em, { licenceId, amountMinor, currency: licence.currency, requestedBy: principal.kind === 'user' ? principal.userId : null });
        const refund = await this.stripe
          .createRefund({
            paymentIntentId: licence.stripePaymentIntentId,
            amountMinor,
            idempotencyKey: `licence-refund-${refundId}`,
            metadata: { licence_id: licenceId, refund_id: refundId },
          })
          .catch((err: unknown) => {
            throw fromStripeError(err);
          });
        await this.licences.markRefundSubmitted(em, refundId, refund.id);
        await this.audit.record(em, {
          action: 'licence.refund_requested',
          resourceType: 'licence',
          resourceId: licenceId,
          details: { refundId, amountMinor: amountMinor.toString(), stripeRefundId: refund.id },
        });
        const body: RefundRequestBody = { id: refundId, licenceId, amountMinor: amountMinor.toString(), currency: licence.currency, status: 'submitted', stripeRefundId: refund.id };
        return { status: 201, body };
      },
    );
  }
}
