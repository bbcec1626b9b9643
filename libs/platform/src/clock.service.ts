import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { ClockRepository } from '@fairshare/persistence';
import { Forbidden } from '@fairshare/domain';

/**
 * The only source of business time. With TEST_CLOCK_ENABLED, time can be frozen and advanced
 * (like Stripe's test clocks) so tests and demos can close a month; the setting lives in the
 * database so the API and every worker see the same time.
 */
@Injectable()
export class ClockService {
  constructor(
    private readonly config: AppConfig,
    private readonly repo: ClockRepository,
  ) {}

  get controllable(): boolean {
    return this.config.TEST_CLOCK_ENABLED;
  }

  async now(): Promise<Date> {
    if (!this.config.TEST_CLOCK_ENABLED) return new Date();
    return (await this.repo.frozenAt()) ?? new Date();
  }

  async freezeAt(at: Date): Promise<Date> {
    this.assertControllable();
    await this.repo.setFrozenAt(at);
    return at;
  }

  async advance(seconds: number): Promise<Date> {
    this.assertControllable();
    const at = new Date((await this.now()).getTime() + seconds * 1000);
    await this.repo.setFrozenAt(at);
    return at;
  }

  async reset(): Promise<Date> {
    this.assertControllable();
    await this.repo.setFrozenAt(null);
    return new Date();
  }

  private assertControllable(): void {
    if (!this.config.TEST_CLOCK_ENABLED) throw new Forbidden('TEST_CLOCK_DISABLED', 'The test clock is disabled (TEST_CLOCK_ENABLED=false).');
  }
}
