/**
 * The PDF export of a sealed record over HTTP: both languages, fonts embedded (no system font), the
 * seal's hash printed. Page 1 is rendered to PNG with `pdftoppm` (Debian poppler-utils) when it is
 * installed, and the text is read back with `pdftotext`: Vietnamese diacritics and Chinese
 * characters come out as written, which they do not when a glyph is missing (tofu).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { crossBorderMigrations, startCrossBorderService, type CrossBorderService } from '../../cross-border-service';

jest.setTimeout(120_000);

const has = (tool: string): boolean => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined;

describe('sealed record as PDF', () => {
  let database: TestDatabase;
  let running: CrossBorderService;
  let pdf: Buffer;
  let contentHash: string;
  const dir = mkdtempSync(join(tmpdir(), 'cross-border-pdf-'));

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: crossBorderMigrations });
    running = await startCrossBorderService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    const guard = await signDevToken({ agency: '20-BORDER_GUARD', roles: ['caseworker'], units: ['20'] });
    const supervisor = await signDevToken({ agency: '20-BORDER_GUARD', roles: ['supervisor'], units: ['20'] });
    const post = async (token: string, path: string, body: unknown, ifMatch?: string) => {
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return { body: (await response.json()) as { id: string }, etag: response.headers.get('etag') ?? '' };
    };
    const created = await post(guard, '/api/v1/records', {
      kind: 'MEETING',
      provinceCode: '20',
      occurredOn: '2019-09-20',
      crossingCode: 'LS-HUU-NGHI',
      counterpartCodes: ['GX-CZ-PSB'],
      vi: {
        title: 'Biên bản hội đàm quý III/2019',
        body: 'Hai bên trao đổi tình hình an ninh biên giới, phòng chống ma túy và mua bán người trên tuyến biên giới Lạng Sơn – Quảng Tây; thống nhất tăng cường tuần tra song phương.',
      },
      zh: { title: '2019年第三季度会谈纪要', body: '双方就谅山—广西边境安全、禁毒和打击拐卖人口工作交换了意见，同意加强双边联合巡逻。' },
      translator: 'Hoàng Thị Mai',
      meeting: {
        level: 'PROVINCE',
        place: 'Cửa khẩu quốc tế Hữu Nghị',
        agreedPoints: [
          { vi: 'Tuần tra song phương mỗi tháng một lần', zh: '每月联合巡逻一次' },
          { vi: 'Trao đổi thông tin qua đường dây nóng trong 24 giờ', zh: '通过热线在24小时内交换信息' },
        ],
      },
    });
    await post(supervisor, `/api/v1/records/${created.body.id}/seal`, { sealedOn: '2019-09-20' }, created.etag);
    const seal = await fetch(`${running.url}/api/v1/records/${created.body.id}/seal`, { headers: { authorization: `Bearer ${guard}` } });
    contentHash = ((await seal.json()) as { contentHash: string }).contentHash;
    const response = await fetch(`${running.url}/api/v1/records/${created.body.id}/export.pdf`, { headers: { authorization: `Bearer ${guard}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/pdf');
    pdf = Buffer.from(await response.arrayBuffer());
    writeFileSync(join(dir, 'record.pdf'), pdf);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('is a PDF with its fonts embedded (subset TrueType), so it prints the same without system fonts', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    // A subset, not the 10 MB font.
    expect(pdf.length).toBeLessThan(1_000_000);
  });

  it('holds both languages and the seal’s hash as text (pdftotext), so no glyph is missing', () => {
    if (!has('pdftotext')) {
      console.warn('pdftotext not installed (Debian poppler-utils): the text check is skipped');
      return;
    }
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'record.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
    for (const expected of ['Biên bản hội đàm quý III/2019', 'Tuần tra song phương mỗi tháng một lần', '会谈纪要', '联合巡逻', 'Hữu Nghị', contentHash])
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
  });

  it('renders page 1 to PNG with pdftoppm (look at it: Vietnamese diacritics and Chinese characters, no tofu boxes)', () => {
    if (!has('pdftoppm')) {
      console.warn('pdftoppm not installed (apt-get install poppler-utils): the render step is skipped');
      return;
    }
    execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', join(dir, 'record.pdf'), join(dir, 'page1')]);
    const png = readFileSync(join(dir, 'page1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(join(dir, 'page1.png')).size).toBeGreaterThan(20_000);
    // Kept for a person to look at (the path is printed).
    const kept = join(tmpdir(), 'cross-border-record-page1.png');
    writeFileSync(kept, png);
    console.warn(`page 1 rendered for a look: ${kept}`);
  });
});
