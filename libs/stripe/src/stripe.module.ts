import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { STRIPE_GATEWAY_OPTIONS, StripeGateway } from './gateway/stripe-gateway';
import type { StripeGatewayOptions } from './gateway/stripe-gateway.types';

/** Provides the one StripeGateway of a process, configured from AppConfig. */
@Global()
@Module({
  providers: [
    {
      provide: STRIPE_GATEWAY_OPTIONS,
      inject: [AppConfig],
      useFactory: (c: AppConfig): StripeGatewayOptions => ({
        secretKey: c.STRIPE_SECRET_KEY,
        apiUrl: c.STRIPE_API_URL,
        webhookSecret: c.STRIPE_WEBHOOK_SECRET,
        webhookToleranceSeconds: c.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      }),
    },
    StripeGateway,
  ],
  exports: [StripeGateway],
})
export class StripeModule {}
