/**
 * Demo data for `npm start` on the embedded default: Lạng Sơn (province 20) cooperation records with
 * Guangxi in every category, most of them sealed, and the 2015–2020 totals of the source article
 * entered as a period summary, so `GET /api/v1/statistics?source=summaries&from=2015-01-01&to=2020-12-31`
 * reads back the article's numbers. Everything goes through the service's own HTTP API with dev
 * tokens (a Border Guard caseworker records, a supervisor seals), and every POST carries a fixed
 * Idempotency-Key, so a load cut short and run again writes nothing twice. The marker is the
 * period summary's seal, the last thing written. A trafficking victim received in 2026 needs shelter
 * and health care: cross-border registers her in cases (so cases must be up: `npm start` loads this
 * demo after cases starts) and the referrals service refers her once per need. All names below are invented.
 */
import { signDevToken } from '@haidang/auth';
import type { DemoContext, DemoResult } from '@haidang/service-kit';
import { cooperationRecordIdFor } from '../cooperation-record/register-cooperation-record/register-cooperation-record.handler';

const AGENCY = '20-BORDER_GUARD';
const TRANSLATOR = 'Hoàng Thị Mai (phiên dịch viên BĐBP Lạng Sơn)';

/** The article's Lạng Sơn 2015–2020 figures, by statistic category. */
export const LANG_SON_2015_2020: ReadonlyArray<{ readonly category: string; readonly value: number }> = [
  { category: 'JOINT_CASES_DRUGS', value: 9 },
  { category: 'ARRESTS', value: 29 },
  { category: 'SEIZED_HEROIN_BRICK', value: 133 },
  { category: 'SEIZED_SYNTHETIC_DRUGS_PILL', value: 3300 },
  { category: 'RECEIVED_TRAFFICKING_VICTIM', value: 43 },
  { category: 'RECEIVED_WANTED_PERSON', value: 14 },
  { category: 'HANDED_OVER_WANTED_PERSON', value: 12 },
  { category: 'HANDED_OVER_ILLEGAL_ENTRANT', value: 470 },
  { category: 'TRAFFICKING_CASES_INVESTIGATED', value: 139 },
  { category: 'TRAFFICKING_VICTIMS', value: 117 },
  { category: 'CITIZENS_RETURNED', value: 1000 },
];

/** What the demo victim needs, of whom: Phường Đông Kinh shelters her, the Department of Health sees to her health. */
export const DEMO_VICTIM_NEEDS = [
  { need: 'SHELTER', agency: '20-COMMUNE-05977' },
  { need: 'HEALTH', agency: '20-HEALTH' },
] as const;

interface DemoRecord {
  readonly key: string;
  readonly body: Record<string, unknown>;
  readonly sealedOn: string | null;
  readonly replyOn?: string;
}

const zh = (title: string, body: string) => ({ zh: { title, body }, translator: TRANSLATOR });

export const DEMO_RECORDS: readonly DemoRecord[] = [
  {
    key: 'meeting-2019-q3',
    sealedOn: '2019-09-20',
    body: {
      kind: 'MEETING',
      provinceCode: '20',
      occurredOn: '2019-09-20',
      crossingCode: 'LS-HUU-NGHI',
      counterpartCodes: ['GX-CZ-PSB', 'GX-PX-BD'],
      vi: {
        title: 'Biên bản hội đàm quý III/2019',
        body: 'Hai bên trao đổi tình hình an ninh biên giới, phòng chống ma túy và mua bán người trên tuyến biên giới Lạng Sơn – Quảng Tây.',
      },
      ...zh('2019年第三季度会谈纪要', '双方就谅山—广西边境安全、禁毒和打击拐卖人口工作交换了意见。'),
      meeting: {
        level: 'PROVINCE',
        place: 'Cửa khẩu quốc tế Hữu Nghị / 友谊关',
        agreedPoints: [
          { vi: 'Tuần tra song phương mỗi tháng một lần', zh: '每月联合巡逻一次' },
          { vi: 'Trao đổi thông tin qua đường dây nóng trong 24 giờ', zh: '通过热线在24小时内交换信息' },
        ],
      },
    },
  },
  {
    key: 'exchange-2020-03',
    sealedOn: null,
    replyOn: '2020-03-12',
    body: {
      kind: 'INFORMATION_EXCHANGE',
      provinceCode: '20',
      occurredOn: '2020-03-06',
      counterpartCodes: ['GX-PX-PSB'],
      vi: { title: 'Đề nghị xác minh đối tượng truy nã', body: 'Đề nghị phía bạn xác minh nơi ở của một đối tượng truy nã nghi lẩn trốn tại Bằng Tường.' },
      informationExchange: { channel: 'HOTLINE', direction: 'SENT', subject: 'WANTED_PERSON', replyWithinWorkingDays: 5 },
    },
  },
  {
    key: 'patrol-2020-05',
    sealedOn: '2020-05-15',
    body: {
      kind: 'JOINT_PATROL',
      provinceCode: '20',
      occurredOn: '2020-05-15',
      vi: { title: 'Biên bản tuần tra song phương mốc 1116 – 1119', body: 'Tuần tra song phương đoạn mốc 1116 đến 1119/2; không phát hiện vi phạm.' },
      ...zh('1116至1119号界碑联合巡逻纪要', '双方联合巡逻1116至1119/2号界碑段，未发现违法情况。'),
      jointPatrol: { markerFrom: '1116', markerTo: '1119/2', vietnameseUnits: ['Đồn Biên phòng Hữu Nghị'], chineseUnits: ['GX-PX-BD'] },
    },
  },
  {
    key: 'joint-case-2018',
    sealedOn: '2018-11-02',
    body: {
      kind: 'JOINT_CASE',
      provinceCode: '20',
      occurredOn: '2018-10-28',
      crossingCode: 'LS-TAN-THANH',
      counterpartCodes: ['GX-PX-PSB'],
      vi: { title: 'Phối hợp phá chuyên án ma túy qua biên giới', body: 'Phối hợp bắt giữ đường dây vận chuyển heroin qua khu vực Tân Thanh.' },
      ...zh('联合侦破跨境毒品案件', '双方联合破获经新清地区运输海洛因的团伙。'),
      jointCase: {
        caseNumberVn: '07/2018/CSMT',
        caseNumberCn: '凭公刑立字〔2018〕57号',
        offence: 'DRUGS',
        arrests: [
          { nationality: 'VN', count: 2 },
          { nationality: 'CN', count: 1 },
        ],
        seizures: [{ substance: 'HEROIN', quantity: 12, unit: 'BRICK' }],
      },
    },
  },
  {
    key: 'handover-victims-2020',
    sealedOn: '2020-06-12',
    body: {
      kind: 'HANDOVER',
      provinceCode: '20',
      occurredOn: '2020-06-12',
      crossingCode: 'LS-HUU-NGHI',
      counterpartCodes: ['GX-YYG-EI'],
      vi: { title: 'Biên bản tiếp nhận nạn nhân bị mua bán', body: 'Phía Trung Quốc bàn giao 02 công dân Việt Nam là nạn nhân bị mua bán.' },
      ...zh('接收被拐卖受害人纪要', '中方向越方移交被拐卖越南公民2名。'),
      handover: { direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: 2, minutesNumber: '07/BB-BGCD', minutesSignedOn: '2020-06-12' },
      persons: [
        { fullName: 'Lục Thị Hoa', birthYear: 2001 },
        { fullName: 'Hoàng Thị Lan', birthYear: 1999 },
      ],
    },
  },
  {
    key: 'handover-entrants-2020',
    sealedOn: null,
    body: {
      kind: 'HANDOVER',
      provinceCode: '20',
      occurredOn: '2020-08-03',
      crossingCode: 'LS-COC-NAM',
      vi: { title: 'Biên bản bàn giao người nhập cảnh trái phép', body: 'Bàn giao 05 công dân Trung Quốc nhập cảnh trái phép cho phía bạn.' },
      handover: { direction: 'HANDED_TO_CHINA', category: 'ILLEGAL_ENTRANT', count: 5, minutesNumber: '12/BB-BGCD', minutesSignedOn: '2020-08-03' },
    },
  },
  {
    // A victim received who needs a place to stay and health care: registered in cases, referred by the
    // referrals service to the home commune (SHELTER) and the Department of Health (health), once each.
    key: 'handover-victim-support-2026',
    sealedOn: null,
    body: {
      kind: 'HANDOVER',
      provinceCode: '20',
      occurredOn: '2026-11-30',
      crossingCode: 'LS-HUU-NGHI',
      counterpartCodes: ['GX-YYG-EI'],
      vi: {
        title: 'Biên bản tiếp nhận nạn nhân bị mua bán',
        body: 'Phía Trung Quốc bàn giao 01 công dân Việt Nam là nạn nhân bị mua bán, cần chỗ ở và chăm sóc y tế.',
      },
      handover: { direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: 1, minutesNumber: '41/BB-BGCD', minutesSignedOn: '2026-11-30' },
      persons: [
        {
          fullName: 'Nông Thị Mai',
          birthYear: 2004,
          support: {
            needs: DEMO_VICTIM_NEEDS,
            sex: 'FEMALE',
            dateOfBirth: '2004-05-21',
            residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn Nà Phai' },
          },
        },
      ],
    },
  },
  {
    key: 'summary-2015-2020',
    sealedOn: '2020-12-31',
    body: {
      kind: 'PERIOD_SUMMARY',
      provinceCode: '20',
      occurredOn: '2020-12-31',
      vi: { title: 'Tổng hợp kết quả hợp tác với Quảng Tây 2015–2020', body: 'Số liệu tổng hợp giai đoạn 2015–2020 của tỉnh Lạng Sơn theo báo cáo tổng kết.' },
      ...zh('2015—2020年与广西合作成果汇总', '谅山省2015—2020年阶段合作统计汇总。'),
      periodSummary: { periodFrom: '2015-01-01', periodTo: '2020-12-31', figures: LANG_SON_2015_2020 },
    },
  },
];

class DemoApi {
  constructor(private readonly url: string) {}

  async call(
    token: string,
    method: string,
    path: string,
    key: string | undefined,
    body?: unknown,
    ifMatch?: string,
  ): Promise<{ status: number; etag: string; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    const response = await fetch(`${this.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag') ?? '', body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
}

const ok = (step: string, reply: { status: number; body: Record<string, unknown> }): void => {
  if (reply.status >= 300) throw new Error(`cross-border demo: ${step} answered ${reply.status} ${String(reply.body['detail'] ?? '')}`);
};

/** Loads the records (first start only) and answers the lines `npm start` prints. */
export async function loadCrossBorderDemo(context: DemoContext): Promise<DemoResult> {
  const url = context.urls['cross-border'] as string;
  const api = new DemoApi(url);
  const caseworker = await signDevToken({ agency: AGENCY, roles: ['caseworker'], units: ['20'] });
  const supervisor = await signDevToken({ agency: AGENCY, roles: ['supervisor'], units: ['20'] });
  const ppc = await signDevToken({ agency: '20-PPC', roles: ['analyst'], units: ['20'] });
  const idOf = (record: DemoRecord) => cooperationRecordIdFor(AGENCY, `demo-${record.key}`);
  const marker = DEMO_RECORDS[DEMO_RECORDS.length - 1] as DemoRecord;
  const present = (await api.call(caseworker, 'GET', `/api/v1/records/${idOf(marker)}/seal`, undefined)).status === 200;
  if (!present) {
    for (const record of DEMO_RECORDS) {
      const created = await api.call(caseworker, 'POST', '/api/v1/records', `demo-${record.key}`, record.body);
      ok(`register ${record.key}`, created);
      let etag = created.etag;
      if (record.replyOn !== undefined) {
        const reply = await api.call(
          caseworker,
          'POST',
          `/api/v1/records/${idOf(record)}/reply`,
          `demo-${record.key}-reply`,
          { receivedOn: record.replyOn },
          etag,
        );
        ok(`reply ${record.key}`, reply);
        etag = reply.etag;
      }
      if (record.sealedOn !== null) {
        const sealed = await api.call(
          supervisor,
          'POST',
          `/api/v1/records/${idOf(record)}/seal`,
          `demo-${record.key}-seal`,
          { sealedOn: record.sealedOn },
          etag,
        );
        ok(`seal ${record.key}`, sealed);
      }
    }
  }
  const handover = idOf(DEMO_RECORDS.find((r) => r.key === 'handover-victims-2020') as DemoRecord);
  const victimRecord = DEMO_RECORDS.find((r) => r.key === 'handover-victim-support-2026') as DemoRecord;
  const victim = idOf(victimRecord);
  // A data directory made before this record existed gets it on its next start (the same key: written once).
  // Asked as an auditor, who reads records without their persons: a check that reads no name writes no access record.
  const auditor = await signDevToken({ agency: AGENCY, roles: ['auditor'], units: ['20'] });
  if (present && (await api.call(auditor, 'GET', `/api/v1/records/${victim}`, undefined)).status === 404)
    ok(`register ${victimRecord.key}`, await api.call(caseworker, 'POST', '/api/v1/records', `demo-${victimRecord.key}`, victimRecord.body));
  return {
    lines: [
      `Cross-border ${url} (OpenAPI at /api/docs):`,
      present
        ? '  demo data  already present (loaded on the first start)'
        : `  demo data  loaded: ${DEMO_RECORDS.length} Lạng Sơn records (every kind), the 2015–2020 totals as a period summary`,
      `  a trafficking victim received ${victim} needs ${DEMO_VICTIM_NEEDS.map((n) => `${n.need} (${n.agency})`).join(', ')}: a referral each in referrals (incoming for those agencies)`,
      `  border guard token (caseworker)  ${caseworker}`,
      `  PPC token (analyst)              ${ppc}`,
      `  curl -H "Authorization: Bearer <token>" ${url}/api/v1/records/${handover}/seal`,
      `  curl -H "Authorization: Bearer <token>" -o record.pdf ${url}/api/v1/records/${handover}/export.pdf`,
      `  curl -H "Authorization: Bearer <PPC token>" "${url}/api/v1/statistics?source=summaries&from=2015-01-01&to=2020-12-31"`,
    ],
    facts: { handoverRecordId: handover, victimSupportRecordId: victim },
  };
}
