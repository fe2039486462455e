/**
 * Coded reasons, one list per service type (issue 10 §10): what a receiver that may not read the
 * sender's free text (a non-state receiver without a ground covering treatment data) sees instead.
 * Each label says what the person needs, never why: no addiction, rehab, HIV, methadone or drug
 * status, in any service type (a unit test holds every label to that), since the code is shown to
 * exactly the receivers that may not learn it. Codes are unique across the lists, so a code alone
 * names its label. A change of wording is a change here; a code, once used, stays (events keep it).
 */

import type { ServiceType } from './referral-catalogue.data';

export interface ReasonCodeLabel {
  readonly vi: string;
  readonly en: string;
}

export interface ReasonCodeEntry {
  readonly code: string;
  readonly label: ReasonCodeLabel;
}

export const REASON_CODES = {
  TRAFFICKING_VICTIM_SUPPORT: [
    { code: 'RECEIVED_AT_BORDER', label: { vi: 'Được tiếp nhận tại cửa khẩu, biên giới', en: 'Received at the border in a handover' } },
    { code: 'IDENTIFIED_VICTIM', label: { vi: 'Đã được xác định là nạn nhân bị mua bán', en: 'Identified as a victim of trafficking' } },
    { code: 'NEEDS_REINTEGRATION', label: { vi: 'Cần hỗ trợ tái hòa nhập cộng đồng', en: 'Needs support to reintegrate into the community' } },
  ],
  SHELTER: [
    { code: 'NO_SAFE_HOME', label: { vi: 'Không có chỗ ở an toàn', en: 'Has no safe place to live' } },
    { code: 'RETURNED_FROM_ABROAD', label: { vi: 'Trở về từ nước ngoài, chưa có nơi ở', en: 'Returned from abroad with nowhere to stay' } },
    {
      code: 'TEMPORARY_SHELTER',
      label: { vi: 'Cần chỗ ở tạm thời trong thời gian chờ giải quyết', en: 'Needs a temporary place to stay while their situation is settled' },
    },
  ],
  REHAB_ADMISSION: [
    { code: 'COURT_DECISION', label: { vi: 'Thi hành quyết định của Tòa án', en: 'Carrying out a court decision' } },
    { code: 'OWN_REQUEST', label: { vi: 'Theo đề nghị của người được giới thiệu', en: 'At the person’s own request' } },
    { code: 'FAMILY_REQUEST', label: { vi: 'Theo đề nghị của gia đình', en: 'At the family’s request' } },
  ],
  HEALTH_HIV_METHADONE: [
    { code: 'VOLUNTARY_TESTING', label: { vi: 'Tư vấn, xét nghiệm tự nguyện', en: 'Voluntary counselling and testing' } },
    { code: 'PREVENTION_SERVICES', label: { vi: 'Dịch vụ dự phòng', en: 'Prevention services' } },
    { code: 'HEALTH_CHECK', label: { vi: 'Khám sức khỏe', en: 'A health check' } },
    { code: 'CARE_FOLLOW_UP', label: { vi: 'Theo dõi, chăm sóc sức khỏe', en: 'Follow-up of their health care' } },
  ],
  COUNSELLING: [
    { code: 'PEER_SUPPORT', label: { vi: 'Cần hỗ trợ đồng đẳng', en: 'Asks for peer support' } },
    { code: 'PSYCHOLOGICAL_SUPPORT', label: { vi: 'Cần tư vấn tâm lý', en: 'Needs psychological counselling' } },
    { code: 'FAMILY_DIFFICULTIES', label: { vi: 'Khó khăn, mâu thuẫn trong gia đình', en: 'Difficulties or conflict in the family' } },
    { code: 'SETTLING_IN_COMMUNITY', label: { vi: 'Cần hỗ trợ hòa nhập cộng đồng', en: 'Needs support to settle into the community' } },
  ],
  LEGAL_AID: [
    { code: 'IDENTITY_PAPERS', label: { vi: 'Cần làm lại giấy tờ tùy thân', en: 'Needs identity papers issued or replaced' } },
    { code: 'LEGAL_ADVICE', label: { vi: 'Cần tư vấn pháp luật', en: 'Needs legal advice' } },
    { code: 'REPRESENTATION', label: { vi: 'Cần trợ giúp pháp lý khi tham gia tố tụng', en: 'Needs legal help in court proceedings' } },
  ],
  JOB_COUNSELLING: [
    {
      code: 'FREE_JOB_COUNSELLING',
      label: { vi: 'Tư vấn, giới thiệu việc làm miễn phí theo nhu cầu', en: 'Free job counselling and introduction, as the person wishes' },
    },
    { code: 'CAREER_GUIDANCE', label: { vi: 'Cần định hướng nghề nghiệp', en: 'Needs career guidance' } },
  ],
  VOCATIONAL_TRAINING: [
    { code: 'WANTS_TRADE_SKILL', label: { vi: 'Muốn học nghề để có việc làm', en: 'Wants to learn a trade to find work' } },
    { code: 'WANTS_DRIVING_LICENCE', label: { vi: 'Muốn học lái xe để có việc làm', en: 'Wants to learn to drive for work' } },
    { code: 'SKILLS_UPGRADE', label: { vi: 'Muốn nâng cao tay nghề', en: 'Wants to improve the skills of their trade' } },
  ],
  JOB_PLACEMENT: [
    { code: 'NO_STABLE_JOB', label: { vi: 'Chưa có việc làm ổn định', en: 'Has no stable job' } },
    { code: 'JOB_NEAR_HOME', label: { vi: 'Cần việc làm gần nơi ở', en: 'Needs work near home' } },
    { code: 'RECENTLY_LOST_JOB', label: { vi: 'Mới mất việc làm', en: 'Recently lost their job' } },
  ],
} as const satisfies Readonly<Record<ServiceType, readonly ReasonCodeEntry[]>>;

export type ReasonCode = (typeof REASON_CODES)[ServiceType][number]['code'];

/** Every code of every service type (the HTTP layer's first check: an unknown code is a 400 naming the field). */
export const ALL_REASON_CODES: readonly ReasonCode[] = (Object.values(REASON_CODES) as readonly (readonly ReasonCodeEntry[])[]).flatMap((entries) =>
  entries.map((entry) => entry.code as ReasonCode),
);
