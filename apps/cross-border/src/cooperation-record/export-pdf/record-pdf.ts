import { createHash, createPublicKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { findCounterpartUnit, findCrossing } from '../../registers/domain';
import type { RecordContent, RecordSealed } from '../domain';

/**
 * One font for both scripts, embedded (subset) in every PDF so it prints the same anywhere: Noto Sans
 * SC (OFL-1.1, from @expo-google-fonts/noto-sans-sc) holds the Vietnamese letters with their
 * diacritics and the Chinese characters. Never a system font.
 */
const FONT_PACKAGE_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
export const PDF_FONTS = {
  regular: join(FONT_PACKAGE_DIR, '400Regular', 'NotoSansSC_400Regular.ttf'),
  bold: join(FONT_PACKAGE_DIR, '700Bold', 'NotoSansSC_700Bold.ttf'),
};

const KIND_LABELS: Readonly<Record<string, readonly [string, string]>> = {
  MEETING: ['Biên bản hội đàm', '会谈纪要'],
  INFORMATION_EXCHANGE: ['Trao đổi thông tin', '信息交流'],
  JOINT_PATROL: ['Tuần tra song phương', '联合巡逻'],
  JOINT_CASE: ['Phối hợp điều tra vụ án', '联合办案'],
  HANDOVER: ['Biên bản bàn giao', '移交纪要'],
  PERIOD_SUMMARY: ['Tổng hợp số liệu theo kỳ', '阶段统计汇总'],
};

/** The fingerprint printed under the seal: SHA-256 of the public key (SPKI DER), so a reader can match the key. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/**
 * A sealed record as a PDF for printing and signing: Vietnamese on the left and Chinese on the
 * right, the details, the seal's hash, signature and key fingerprint, and a signature block for
 * each side. Deterministic apart from nothing: the creation date is the seal's day.
 */
export function renderRecordPdf(recordId: string, content: RecordContent, seal: RecordSealed['data']): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 42,
    info: { Title: `${content.vi.title} / ${content.zh?.title ?? ''}`, Creator: 'Hải Đăng cross-border', CreationDate: new Date(`${seal.sealedOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', PDF_FONTS.regular);
  doc.registerFont('bold', PDF_FONTS.bold);

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const gap = 16;
  const column = (width - gap) / 2;
  const [kindVi, kindZh] = KIND_LABELS[content.kind] ?? [content.kind, content.kind];

  doc.font('bold').fontSize(11).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM · 越南社会主义共和国', { align: 'center' });
  doc
    .font('regular')
    .fontSize(9)
    .text(`Tỉnh ${content.provinceCode === '20' ? 'Lạng Sơn' : content.provinceCode} — Quảng Tây (Trung Quốc) · 谅山省 — 广西（中国）`, { align: 'center' });
  doc.moveDown(0.6);
  doc.font('bold').fontSize(14).text(`${kindVi.toUpperCase()} · ${kindZh}`, { align: 'center' });
  doc.font('regular').fontSize(8).fillColor('#444').text(`Mã hồ sơ / 记录编号: ${recordId}`, { align: 'center' }).fillColor('black');
  doc.moveDown(0.8);

  const facts: string[] = [`Ngày / 日期: ${content.occurredOn}`];
  const crossing = content.crossingCode === null ? undefined : findCrossing(content.crossingCode);
  if (crossing) facts.push(`Cửa khẩu / 口岸: ${crossing.nameVi} · ${crossing.nameZh}`);
  for (const code of content.counterpartCodes) {
    const unit = findCounterpartUnit(code);
    if (unit) facts.push(`Đơn vị phía Trung Quốc / 中方单位: ${unit.nameVi} · ${unit.nameZh}`);
  }
  if (content.corrects !== null) facts.push(`Đính chính hồ sơ / 更正记录: ${content.corrects}`);
  facts.push(...detailLines(content));
  doc.font('regular').fontSize(9);
  for (const line of facts) doc.text(line, left, doc.y, { width });
  doc.moveDown(0.8);

  // The two languages side by side, each column as tall as it needs.
  const top = doc.y;
  doc.font('bold').fontSize(10).text('Tiếng Việt', left, top, { width: column });
  doc
    .font('bold')
    .fontSize(12)
    .text(content.vi.title, left, doc.y + 2, { width: column });
  doc
    .font('regular')
    .fontSize(10)
    .text(content.vi.body, left, doc.y + 4, { width: column, align: 'justify' });
  if (content.details.kind === 'MEETING') content.details.agreedPoints.forEach((p, i) => doc.text(`${i + 1}. ${p.vi}`, left, doc.y + 2, { width: column }));
  const leftBottom = doc.y;
  const right = left + column + gap;
  doc.font('bold').fontSize(10).text('中文（简体）', right, top, { width: column });
  doc
    .font('bold')
    .fontSize(12)
    .text(content.zh?.title ?? '', right, doc.y + 2, { width: column });
  doc
    .font('regular')
    .fontSize(10)
    .text(content.zh?.body ?? '', right, doc.y + 4, { width: column, align: 'justify' });
  if (content.details.kind === 'MEETING')
    content.details.agreedPoints.forEach((p, i) => doc.text(`${i + 1}. ${p.zh ?? ''}`, right, doc.y + 2, { width: column }));
  doc.y = Math.max(leftBottom, doc.y) + 10;
  doc
    .font('regular')
    .fontSize(8)
    .text(`Người dịch / 翻译: ${content.translator ?? ''}`, left, doc.y, { width });
  doc.moveDown(1);

  // The seal: what a reader compares with GET /api/v1/records/{id}/seal.
  const sealTop = doc.y;
  doc
    .font('bold')
    .fontSize(9)
    .text('NIÊM PHONG ĐIỆN TỬ · 电子封印', left + 6, sealTop + 6, { width: width - 12 });
  doc.font('regular').fontSize(8);
  for (const line of [
    `Ngày niêm phong / 封印日期: ${seal.sealedOn} · ${seal.sealedByAgency}`,
    `${seal.hashAlgorithm} (nội dung hai ngôn ngữ / 双语内容): ${seal.contentHash}`,
    `${seal.signatureAlgorithm} chữ ký / 签名: ${seal.signature}`,
    `Khóa công khai / 公钥 SHA-256: ${publicKeyFingerprint(seal.publicKey)}`,
  ])
    doc.text(line, left + 6, doc.y + 1, { width: width - 12 });
  doc.rect(left, sealTop, width, doc.y - sealTop + 6).stroke();
  doc.y += 24;

  const signTop = doc.y;
  doc.font('bold').fontSize(10).text('ĐẠI DIỆN PHÍA VIỆT NAM\n越方代表', left, signTop, { width: column, align: 'center' });
  doc.font('bold').fontSize(10).text('ĐẠI DIỆN PHÍA TRUNG QUỐC\n中方代表', right, signTop, { width: column, align: 'center' });
  doc.end();
  return done;
}

function detailLines(content: RecordContent): string[] {
  const d = content.details;
  switch (d.kind) {
    case 'MEETING':
      return [`Cấp / 级别: ${d.level} · Địa điểm / 地点: ${d.place}`];
    case 'INFORMATION_EXCHANGE':
      return [
        `Kênh / 渠道: ${d.channel} · ${d.direction} · ${d.subject}`,
        `Hạn trả lời / 答复期限: ${d.replyDueOn ?? '—'} · Đã trả lời / 已答复: ${content.replyReceivedOn ?? '—'}`,
      ];
    case 'JOINT_PATROL':
      return [`Mốc giới / 界碑: ${d.markerFrom} – ${d.markerTo}`, `Lực lượng Việt Nam / 越方: ${d.vietnameseUnits.join(', ')}`];
    case 'JOINT_CASE':
      return [
        `Số vụ án / 案号: ${d.caseNumberVn} · ${d.caseNumberCn} · ${d.offence}`,
        `Bắt giữ / 抓获: ${d.arrests.map((a) => `${a.nationality} ${a.count}`).join(', ')}`,
        `Thu giữ / 缴获: ${d.seizures.map((s) => `${s.substance} ${s.quantity} ${s.unit}`).join(', ')}`,
      ];
    case 'HANDOVER':
      return [`${d.direction} · ${d.category} · Số người / 人数: ${d.count}`, `Biên bản số / 纪要编号: ${d.minutesNumber} (${d.minutesSignedOn})`];
    case 'PERIOD_SUMMARY':
      return [`Kỳ / 期间: ${d.periodFrom} – ${d.periodTo}`, ...d.figures.map((f) => `${f.category}: ${f.value}`)];
  }
}
