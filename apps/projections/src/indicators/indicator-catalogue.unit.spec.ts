import { crossBorderIndicator, FactIndex, INDICATORS, indicatorsOf, valueOf, type IndicatorDefinition } from './indicator-catalogue';
import { aFact, commune, Q3_2022, SMALL_PROVINCE } from './indicators.test-fixtures';
import type { Fact } from '../inbox/facts';

const ALL = { communes: SMALL_PROVINCE.communes.map((c) => c.code), districts: SMALL_PROVINCE.districts.map((d) => d.name).concat('Vân Đồn') };
const definition = (code: string): IndicatorDefinition => {
  const found = INDICATORS.find((d) => d.code === code);
  if (!found) throw new Error(`no indicator ${code}`);
  return found;
};
const measure = (code: string, facts: readonly Fact[], unit = SMALL_PROVINCE.province) => definition(code).measure_(new FactIndex(facts), unit, Q3_2022, ALL);
const value = (code: string, facts: readonly Fact[], unit = SMALL_PROVINCE.province) => valueOf(definition(code), measure(code, facts, unit));

describe('indicator definitions', () => {
  it('has one unit-tested definition per code below, and no code twice', () => {
    const codes = INDICATORS.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.sort()).toEqual(
      [
        'REHAB_ADMISSIONS',
        'REHAB_ADMISSIONS_FACILITY',
        'REHAB_ADMISSIONS_COMMUNITY',
        'POST_REHAB_MANAGED',
        'JOB_COUNSELLING_GIVEN',
        'VOCATIONAL_TRAINED',
        'JOBS_PLACED',
        'COMMUNES_WITH_ACTIVITY',
        'ZONES_REACHED',
        'SCHOOLS_TRAINED',
        'ARTICLES_PER_WEEK',
        'VOLUNTEER_TEAMS',
        'COUNSELLING_POINTS',
        'AFTER_CARE_CLUBS',
        'OFFICIALS_AWARE',
        'ADULTS_AWARE',
        'REHAB_STAFF_TRAINED',
        'DISTRICTS_WITH_PLAN',
      ].sort(),
    );
  });

  describe('rehab admissions', () => {
    const admissions = [
      aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_FACILITY' }),
      aFact({ kind: 'REHAB_ADMISSION', category: 'COMPULSORY_FACILITY', communeCode: '06794' }),
      aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_COMMUNITY' }),
      aFact({ kind: 'REHAB_ADMISSION', category: 'SUBSTITUTION_THERAPY' }),
      aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_FACILITY', onDate: '2022-06-30' }),
      aFact({ kind: 'REHAB_ADMISSION', category: 'VOLUNTARY_FACILITY', onDate: '2022-10-01' }),
    ];
    it('REHAB_ADMISSIONS counts every form started in the period', () => expect(value('REHAB_ADMISSIONS', admissions)).toBe(4));
    it('REHAB_ADMISSIONS_FACILITY counts voluntary and compulsory facility stays', () => expect(value('REHAB_ADMISSIONS_FACILITY', admissions)).toBe(2));
    it('REHAB_ADMISSIONS_COMMUNITY counts rehab at home or in the community', () => expect(value('REHAB_ADMISSIONS_COMMUNITY', admissions)).toBe(1));
    it('counts by the commune of the case', () => {
      expect(value('REHAB_ADMISSIONS', admissions, commune('06794'))).toBe(1);
      expect(value('REHAB_ADMISSIONS', admissions, SMALL_PROVINCE.districts[0])).toBe(4);
      expect(value('REHAB_ADMISSIONS', admissions, commune('06795'))).toBe(0);
    });
  });

  it('POST_REHAB_MANAGED is the share of completions in the period put under post-rehab management', () => {
    const facts = [
      aFact({ kind: 'REHAB_COMPLETED' }),
      aFact({ kind: 'REHAB_COMPLETED' }),
      aFact({ kind: 'REHAB_COMPLETED' }),
      aFact({ kind: 'REHAB_COMPLETED' }),
      aFact({ kind: 'POST_REHAB_MANAGEMENT' }),
      aFact({ kind: 'POST_REHAB_MANAGEMENT' }),
      aFact({ kind: 'POST_REHAB_MANAGEMENT' }),
    ];
    expect(measure('POST_REHAB_MANAGED', facts)).toEqual({ numerator: 3, denominator: 4 });
    expect(value('POST_REHAB_MANAGED', facts)).toBe(75);
    expect(value('POST_REHAB_MANAGED', [])).toBeNull();
  });

  it('JOB_COUNSELLING_GIVEN, VOCATIONAL_TRAINED and JOBS_PLACED count their facts in the period', () => {
    const facts = [
      aFact({ kind: 'JOB_COUNSELLING_GIVEN' }),
      aFact({ kind: 'VOCATIONAL_TRAINED' }),
      aFact({ kind: 'VOCATIONAL_TRAINED', communeCode: null }),
      aFact({ kind: 'JOB_PLACED' }),
      aFact({ kind: 'JOB_PLACED', onDate: '2023-01-01' }),
    ];
    expect(value('JOB_COUNSELLING_GIVEN', facts)).toBe(1);
    expect(value('VOCATIONAL_TRAINED', facts)).toBe(2);
    // A record without a known commune counts for the province, not for a commune.
    expect(value('VOCATIONAL_TRAINED', facts, commune('06793'))).toBe(1);
    expect(value('JOBS_PLACED', facts)).toBe(1);
  });

  it('COMMUNES_WITH_ACTIVITY counts communes with an activity not withdrawn, over the communes of the unit', () => {
    const facts = [
      aFact({ kind: 'ACTIVITY', communeCode: '06793' }),
      aFact({ kind: 'ACTIVITY', communeCode: '06793' }),
      aFact({ kind: 'ACTIVITY', communeCode: '06794', voided: true }),
      aFact({ kind: 'ACTIVITY', communeCode: null }),
    ];
    expect(measure('COMMUNES_WITH_ACTIVITY', facts)).toEqual({ numerator: 1, denominator: 3 });
    expect(value('COMMUNES_WITH_ACTIVITY', facts)).toBe(33.3);
    expect(value('COMMUNES_WITH_ACTIVITY', facts, commune('06793'))).toBe(100);
    expect(value('COMMUNES_WITH_ACTIVITY', facts, SMALL_PROVINCE.districts[0])).toBe(50);
  });

  it('ZONES_REACHED counts open zones where an activity was held, over the zones open in the period', () => {
    const facts = [
      aFact({ kind: 'ESTABLISHMENT', subjectId: 'z1', category: 'INDUSTRIAL_ZONE', onDate: '2020-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 'z2', category: 'ECONOMIC_ZONE', onDate: '2020-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 'z3', category: 'INDUSTRIAL_ZONE', onDate: '2020-01-01', endedOn: '2022-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 's1', category: 'SCHOOL:UPPER_SECONDARY', onDate: '2020-01-01' }),
      aFact({ kind: 'ACTIVITY_AT', ref: 'z1', category: 'MEETING' }),
      aFact({ kind: 'ACTIVITY_AT', ref: 's1', category: 'SCHOOL_SESSION' }),
    ];
    expect(measure('ZONES_REACHED', facts)).toEqual({ numerator: 1, denominator: 2 });
    expect(value('ZONES_REACHED', facts)).toBe(50);
  });

  it('SCHOOLS_TRAINED counts upper-secondary and vocational schools with a school session', () => {
    const facts = [
      aFact({ kind: 'ESTABLISHMENT', subjectId: 's1', category: 'SCHOOL:UPPER_SECONDARY', onDate: '2020-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 's2', category: 'SCHOOL:VOCATIONAL', onDate: '2020-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 's3', category: 'SCHOOL:PRIMARY', onDate: '2020-01-01' }),
      aFact({ kind: 'ESTABLISHMENT', subjectId: 's4', category: 'SCHOOL:UPPER_SECONDARY', onDate: '2020-01-01' }),
      aFact({ kind: 'ACTIVITY_AT', ref: 's1', category: 'SCHOOL_SESSION' }),
      aFact({ kind: 'ACTIVITY_AT', ref: 's2', category: 'MEETING' }),
      aFact({ kind: 'ACTIVITY_AT', ref: 's4', category: 'SCHOOL_SESSION', voided: true }),
    ];
    expect(measure('SCHOOLS_TRAINED', facts)).toEqual({ numerator: 1, denominator: 3 });
  });

  it('ARTICLES_PER_WEEK divides the articles not withdrawn by the weeks of the period', () => {
    const facts = [...Array.from({ length: 26 }, () => aFact({ kind: 'ARTICLE', communeCode: null })), aFact({ kind: 'ARTICLE', voided: true })];
    // 92 days = 13.14 weeks.
    expect(measure('ARTICLES_PER_WEEK', facts)).toEqual({ numerator: 26, denominator: 13.14 });
    expect(value('ARTICLES_PER_WEEK', facts)).toBe(1.98);
  });

  it('VOLUNTEER_TEAMS, COUNSELLING_POINTS and AFTER_CARE_CLUBS count models active on the last day of the period', () => {
    const facts = [
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm1', category: 'VOLUNTEER_TEAM', onDate: '2021-01-01' }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm2', category: 'VOLUNTEER_TEAM', onDate: '2021-01-01' }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm2', category: 'VOLUNTEER_TEAM', onDate: '2022-09-01', amount: 0 }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm3', category: 'VOLUNTEER_TEAM', onDate: '2022-10-05' }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm4', category: 'COUNSELLING_POINT', onDate: '2021-01-01' }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm5', category: 'AFTER_CARE_CLUB', onDate: '2021-01-01' }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm5', category: 'AFTER_CARE_CLUB', onDate: '2022-02-01', amount: 0 }),
      aFact({ kind: 'SUPPORT_MODEL', subjectId: 'm5', category: 'AFTER_CARE_CLUB', onDate: '2022-03-01', amount: 1 }),
    ];
    expect(value('VOLUNTEER_TEAMS', facts)).toBe(1);
    expect(value('COUNSELLING_POINTS', facts)).toBe(1);
    expect(value('AFTER_CARE_CLUBS', facts)).toBe(1);
  });

  it('OFFICIALS_AWARE and ADULTS_AWARE are the aware share of their survey group', () => {
    const facts = [
      aFact({ kind: 'SURVEY_AWARE', category: 'OFFICIALS', amount: 120, communeCode: null }),
      aFact({ kind: 'SURVEY_SAMPLE', category: 'OFFICIALS', amount: 150, communeCode: null }),
      aFact({ kind: 'SURVEY_AWARE', category: 'ADULTS', amount: 260, communeCode: null }),
      aFact({ kind: 'SURVEY_SAMPLE', category: 'ADULTS', amount: 500, communeCode: null }),
    ];
    expect(value('OFFICIALS_AWARE', facts)).toBe(80);
    expect(value('ADULTS_AWARE', facts)).toBe(52);
  });

  it('REHAB_STAFF_TRAINED counts rehab and after-care staff trained over the latest headcount of the register', () => {
    const facts = [
      aFact({ kind: 'CAMPAIGN_TRAINING', category: 'REHAB_STAFF', amount: 30 }),
      aFact({ kind: 'CAMPAIGN_TRAINING', category: 'AFTER_CARE_STAFF', amount: 12 }),
      aFact({ kind: 'CAMPAIGN_TRAINING', category: 'TEACHERS', amount: 40 }),
    ];
    expect(measure('REHAB_STAFF_TRAINED', facts)).toEqual({ numerator: 42, denominator: null });
    expect(value('REHAB_STAFF_TRAINED', facts)).toBeNull();
    const register = [
      aFact({ kind: 'STAFF_HEADCOUNT', subjectId: '22-REHAB_FACILITY-1:REHAB_STAFF', category: 'REHAB_STAFF', amount: 40, onDate: '2022-01-01' }),
      aFact({ kind: 'STAFF_HEADCOUNT', subjectId: '22-REHAB_FACILITY-1:REHAB_STAFF', category: 'REHAB_STAFF', amount: 44, onDate: '2022-08-01' }),
      aFact({ kind: 'STAFF_HEADCOUNT', subjectId: '22-REHAB_FACILITY-1:REHAB_STAFF', category: 'REHAB_STAFF', amount: 99, onDate: '2022-10-01' }),
      aFact({ kind: 'STAFF_HEADCOUNT', subjectId: '22-DOLISA:AFTER_CARE_STAFF', category: 'AFTER_CARE_STAFF', amount: 12, onDate: '2022-01-01' }),
    ];
    expect(measure('REHAB_STAFF_TRAINED', [...facts, ...register])).toEqual({ numerator: 42, denominator: 56 });
    expect(value('REHAB_STAFF_TRAINED', [...facts, ...register])).toBe(75);
  });

  it('DISTRICTS_WITH_PLAN counts the former districts whose plan was issued by the end of the period', () => {
    const facts = [
      aFact({ kind: 'DISTRICT_PLAN', category: 'Cẩm Phả', onDate: '2022-06-01', communeCode: null }),
      aFact({ kind: 'DISTRICT_PLAN', category: 'Vân Đồn', onDate: '2022-10-01', communeCode: null }),
    ];
    expect(measure('DISTRICTS_WITH_PLAN', facts)).toEqual({ numerator: 1, denominator: 2 });
    expect(value('DISTRICTS_WITH_PLAN', facts, SMALL_PROVINCE.districts[0])).toBe(100);
  });

  it('adds one cross-border indicator per category, summing figures of records not superseded and not period summaries', () => {
    const facts = [
      aFact({ kind: 'CROSS_BORDER', category: 'RECEIVED_TRAFFICKING_VICTIM', amount: 3, communeCode: null }),
      aFact({ kind: 'CROSS_BORDER', category: 'RECEIVED_TRAFFICKING_VICTIM', amount: 2, communeCode: null, voided: true }),
      aFact({ kind: 'CROSS_BORDER', category: 'JOINT_PATROLS', amount: 4, communeCode: null }),
      aFact({ kind: 'CROSS_BORDER_SUMMARY', category: 'JOINT_PATROLS', amount: 40, communeCode: null }),
    ];
    const index = new FactIndex(facts);
    expect(
      indicatorsOf(index)
        .map((d) => d.code)
        .filter((c) => c.startsWith('CROSS_BORDER_')),
    ).toEqual(['CROSS_BORDER_JOINT_PATROLS', 'CROSS_BORDER_RECEIVED_TRAFFICKING_VICTIM']);
    const victims = crossBorderIndicator('RECEIVED_TRAFFICKING_VICTIM');
    expect(valueOf(victims, victims.measure_(index, SMALL_PROVINCE.province, Q3_2022, ALL))).toBe(3);
    const patrols = crossBorderIndicator('JOINT_PATROLS');
    expect(valueOf(patrols, patrols.measure_(index, SMALL_PROVINCE.province, Q3_2022, ALL))).toBe(4);
  });
});
