import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class ClockRepository {
  constructor(private readonly dataSource: DataSource) {}

  async frozenAt(): Promise<Date | null> {
    const rows: { frozen_at: Date | null }[] = await this.dataSource.query(`SELECT frozen_at FROM test_clock WHERE id`);
    return rows[0]?.frozen_at ?? null;
  }

  async setFrozenAt(at: Date | null): Promise<void> {
    await this.dataSource.query(`UPDATE test_clock SET frozen_at = $1, updated_at = now() WHERE id`, [at]);
  }
}
