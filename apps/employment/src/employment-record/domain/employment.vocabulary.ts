/**
 * The code lists of the employment service, in one place: what a record, a session, an enrolment
 * and a placement are described with. Codes are stable (stored in events); labels may be reworded.
 */

/** What the person wants now. NOT_NOW takes a reason code. */
export const NEEDS = ['WANTS_WORK', 'WANTS_TRAINING', 'NOT_NOW'] as const;
export type Need = (typeof NEEDS)[number];
export const NOT_NOW_REASONS = ['HEALTH', 'FAMILY_CARE', 'STUDYING', 'ALREADY_WORKING', 'MOVING_AWAY', 'NOT_INTERESTED', 'OTHER'] as const;
export type NotNowReason = (typeof NOT_NOW_REASONS)[number];

export const COUNSELLING_OUTCOMES = ['INFORMED', 'PLAN_AGREED', 'REFERRED_TO_TRAINING', 'REFERRED_TO_EMPLOYER', 'DECLINED', 'NO_SHOW'] as const;
export type CounsellingOutcome = (typeof COUNSELLING_OUTCOMES)[number];
export const NEXT_STEPS = ['NONE', 'FOLLOW_UP_SESSION', 'ENROL_IN_TRAINING', 'JOB_INTRODUCTION', 'LOAN_APPLICATION'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

/** Occupations taught to people after rehab in Quảng Ninh (a subset of the national list; labels vi/en). */
export const TRADES = {
  WELDING: { vi: 'Hàn', en: 'Welding' },
  AUTO_REPAIR: { vi: 'Sửa chữa ô tô, xe máy', en: 'Car and motorbike repair' },
  ELECTRICAL: { vi: 'Điện dân dụng', en: 'Household electrics' },
  SEWING: { vi: 'May công nghiệp', en: 'Industrial sewing' },
  COOKING: { vi: 'Kỹ thuật chế biến món ăn', en: 'Cooking' },
  MASONRY: { vi: 'Nề – hoàn thiện công trình', en: 'Masonry and finishing' },
  AQUACULTURE: { vi: 'Nuôi trồng thủy sản', en: 'Aquaculture' },
  HORTICULTURE: { vi: 'Trồng trọt, làm vườn', en: 'Horticulture' },
  MINING_OPERATOR: { vi: 'Vận hành thiết bị mỏ hầm lò', en: 'Underground mining equipment operation' },
  DRIVING: { vi: 'Lái xe ô tô hạng B2, C', en: 'Driving (class B2, C)' },
  CARPENTRY: { vi: 'Mộc dân dụng', en: 'Carpentry' },
  HOSPITALITY: { vi: 'Nghiệp vụ nhà hàng, khách sạn', en: 'Restaurant and hotel service' },
} as const;
export type TradeCode = keyof typeof TRADES;
export const TRADE_CODES = Object.keys(TRADES) as TradeCode[];

export const TRAINING_LEVELS = ['ELEMENTARY', 'UNDER_3_MONTHS', 'INTERMEDIATE'] as const;
export type TrainingLevel = (typeof TRAINING_LEVELS)[number];
export const FUNDING_SOURCES = ['STATE_SUPPORT_AFTER_REHAB', 'LOAN', 'SELF_PAID'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export const DROPOUT_REASONS = ['HEALTH', 'RELAPSE', 'FOUND_WORK', 'FAMILY', 'MOVED_AWAY', 'LOST_CONTACT', 'OTHER'] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];

export const CONTRACT_TYPES = ['INDEFINITE', 'FIXED_TERM', 'SEASONAL', 'SELF_EMPLOYED', 'FAMILY_BUSINESS'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
/** Monthly wage bands, million VND. */
export const WAGE_BANDS = ['UNDER_4M', '4M_TO_6M', '6M_TO_8M', '8M_TO_10M', 'OVER_10M', 'UNKNOWN'] as const;
export type WageBand = (typeof WAGE_BANDS)[number];
/** Preferential loans of the Social Policy Bank (Ngân hàng Chính sách xã hội). */
export const LOAN_PROGRAMMES = ['JOB_CREATION', 'POOR_HOUSEHOLD', 'OTHER'] as const;
export type LoanProgramme = (typeof LOAN_PROGRAMMES)[number];
/** Loan amount bands, million VND. */
export const LOAN_BANDS = ['UP_TO_50M', '50M_TO_100M', 'OVER_100M'] as const;
export type LoanBand = (typeof LOAN_BANDS)[number];
export const LEAVE_REASONS = ['RESIGNED', 'DISMISSED', 'CONTRACT_ENDED', 'HEALTH', 'RELAPSE', 'MOVED_AWAY', 'BUSINESS_CLOSED', 'OTHER'] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

export const CLOSE_OUTCOMES = ['EMPLOYED', 'SELF_EMPLOYED', 'NOT_EMPLOYED', 'DECLINED_SERVICES', 'MOVED_AWAY', 'DECEASED'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

/** The referral service types a record may be opened from. */
export const EMPLOYMENT_REFERRAL_SERVICES = ['JOB_COUNSELLING', 'VOCATIONAL_TRAINING', 'JOB_PLACEMENT'] as const;
export type EmploymentReferralService = (typeof EMPLOYMENT_REFERRAL_SERVICES)[number];

/** Months after the start of a job at which the person is checked on. */
export const FOLLOW_UP_MONTHS = [3, 6, 12] as const;
export type FollowUpMonth = (typeof FOLLOW_UP_MONTHS)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);
