import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UsageRejectionRow } from './usage-rows';

@Injectable()
export class UsageRejectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of a report's rejections in line order, after `afterLineNo` (keyset). */
  async page(reportId: string, afterLineNo: bigint, limit: number, em?: EntityManager): Promise<UsageRejectionRow[]> {
    const rows: { line_no: string; code: string; message: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT line_no::text, code, message FROM usage_rejections WHERE report_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3`,
      [reportId, afterLineNo.toString(), limit],
    );
    return rows.map((r) => ({ lineNo: BigInt(r.line_no), code: r.code, message: r.message }));
  }
}
