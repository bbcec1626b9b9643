import PDFDocument from 'pdfkit';
import { formatMajor } from '@fairshare/money';
import type { Statement } from './royalty-statement.service';

/**
 * A CSV cell: quoted when needed, and defused against formula injection (a cell starting with
 * = + - @ tab or CR is prefixed with a quote) unless it is a plain number such as "-233".
 */
export function csvCell(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (cells: (string | bigint | number)[]) => cells.map((c) => csvCell(String(c))).join(',') + '\r\n';

/**
 * The statement as CSV: lines, adjustments (with their period), then totals per licence, work and
 * currency. `work_title` and `licensee` are the last columns (added after the others, which keep
 * their places).
 */
export function statementCsv(s: Statement): string {
  let out = row(['section', 'period', 'original_period', 'licence_id', 'work_id', 'holder_key', 'holder_kind', 'consent_record_id', 'units', 'currency', 'amount_minor', 'amount', 'work_title', 'licensee']);
  for (const l of s.lines) {
    out += row(['line', l.period, l.originalPeriod, l.licenceId, l.workId, l.holderKey, l.holderKind, l.consentRecordId, l.units, l.currency, l.amount, formatMajor(l.amount, l.currency), l.workTitle ?? '', l.organisationName ?? '']);
  }
  for (const l of s.adjustments) {
    out += row(['adjustment', l.period, l.originalPeriod, l.licenceId, l.workId, l.holderKey, l.holderKind, l.consentRecordId, l.units, l.currency, l.amount, formatMajor(l.amount, l.currency), l.workTitle ?? '', l.organisationName ?? '']);
  }
  for (const t of s.byLicence) out += row(['total_licence', s.run.period, '', t.licenceId, '', '', '', '', '', t.currency, t.amount, formatMajor(t.amount, t.currency), '', t.organisationName ?? '']);
  for (const t of s.byWork) out += row(['total_work', s.run.period, '', '', t.workId, '', '', '', '', t.currency, t.amount, formatMajor(t.amount, t.currency), t.workTitle ?? '', '']);
  for (const t of s.totals) {
    out += row(['total_royalties', s.run.period, '', '', '', '', '', '', '', t.currency, t.royalties, formatMajor(t.royalties, t.currency), '', '']);
    out += row(['total_adjustments', s.run.period, '', '', '', '', '', '', '', t.currency, t.adjustments, formatMajor(t.adjustments, t.currency), '', '']);
    out += row(['total', s.run.period, '', '', '', '', '', '', '', t.currency, t.total, formatMajor(t.total, t.currency), '', '']);
  }
  return out;
}

/** The statement as a PDF (pdfkit): totals per currency, per licence and per work; lines; adjustments apart. */
export function statementPdf(s: Statement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Fairshare statement ${s.run.period}`, Author: 'Fairshare' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const money = (a: bigint, c: string) => `${formatMajor(a, c)} ${c}`;
    // The work's title first, its ID after (titles are not unique).
    const work = (w: { workId: string; workTitle?: string | null }) => (w.workTitle ? `“${w.workTitle}” (work ${w.workId})` : `Work ${w.workId}`);
    doc.fontSize(16).text(`Royalty statement — ${s.run.period}`);
    doc.fontSize(9).text(`Run ${s.run.id} · creator ${s.creatorId} · status ${s.run.status} · rules v${s.run.rulesVersion}`);
    doc.moveDown();
    doc.fontSize(12).text('Totals per currency');
    doc.fontSize(9);
    for (const t of s.totals) doc.text(`${t.currency}: royalties ${money(t.royalties, t.currency)} · adjustments ${money(t.adjustments, t.currency)} · total ${money(t.total, t.currency)}`);
    doc.moveDown().fontSize(12).text('Per licence');
    doc.fontSize(9);
    for (const t of s.byLicence) doc.text(`${t.organisationName ? `${t.organisationName} — licence` : 'Licence'} ${t.licenceId}: ${money(t.amount, t.currency)}`);
    doc.moveDown().fontSize(12).text('Per work');
    doc.fontSize(9);
    for (const t of s.byWork) doc.text(`${work(t)}: ${money(t.amount, t.currency)}`);
    doc.moveDown().fontSize(12).text(`Lines of ${s.run.period}`);
    doc.fontSize(8);
    for (const l of s.lines) {
      doc.text(`${work(l)} · licence ${l.licenceId}${l.organisationName ? ` (${l.organisationName})` : ''} · units ${l.units} · ${money(l.amount, l.currency)} · consent record ${l.consentRecordId}${l.holderKind === 'invitation' ? ` · invitation ${l.holderKey}` : ''}`);
    }
    doc.moveDown().fontSize(12).text('Adjustments of earlier periods');
    doc.fontSize(8);
    if (!s.adjustments.length) doc.text('None.');
    for (const l of s.adjustments) {
      doc.text(`Period ${l.originalPeriod} · ${work(l)} · licence ${l.licenceId} · units ${l.units} · ${money(l.amount, l.currency)} · consent record ${l.consentRecordId}`);
    }
    doc.end();
  });
}
