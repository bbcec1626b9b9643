import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
// @nestjs/bullmq's metadata key for @Processor (its constants file is not exported).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';
import { ALL_QUEUES } from '@fairshare/jobs';

/** The worker refuses to start if a queue has no processor, or two. */
export function checkProcessors(queues: readonly string[], processed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const q of queues) {
    const n = processed.filter((p) => p === q).length;
    if (n === 0) problems.push(`queue "${q}" has no processor`);
    if (n > 1) problems.push(`queue "${q}" has ${n} processors`);
  }
  for (const p of new Set(processed)) if (!queues.includes(p)) problems.push(`processor for unknown queue "${p}"`);
  return problems;
}

@Injectable()
export class ProcessorCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const processed = this.discovery
      .getProviders()
      .map((w) => w.metatype && this.reflector.get<{ name?: string } | undefined>(PROCESSOR_METADATA, w.metatype as (...a: unknown[]) => unknown))
      .filter((m): m is { name: string } => !!m?.name)
      .map((m) => m.name);
    const problems = checkProcessors(ALL_QUEUES, processed);
    if (problems.length) throw new Error(`Worker queue wiring is wrong: ${problems.join('; ')}`);
  }
}
