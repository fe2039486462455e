/**
 * Issue 17 §6: a list's scope condition is one-sided per principal, so that one index in the list's
 * order serves it, and the read models declare those indexes.
 */
import { getMetadataArgsStorage } from 'typeorm';
import { DrugUserManagementRow } from '../drug-user-managements/drug-user-managements.projection';
import { PersonRow } from '../persons/persons.projection';
import { RehabCaseRow } from './rehab-cases.projection';
import { unitsCondition } from './rehab-cases.read-model';

describe('unitsCondition', () => {
  it('a province-scoped caller (province codes only) is matched on province_code alone, one code by equality (an ordered index scan)', () => {
    const params: unknown[] = ['x'];
    expect(unitsCondition(['22'], params)).toBe('province_code = $2');
    expect(params).toEqual(['x', '22']);
  });

  it('a commune-scoped caller (commune codes only) is matched on commune_code alone', () => {
    const one: unknown[] = [];
    expect(unitsCondition(['06793'], one)).toBe('commune_code = $1');
    expect(one).toEqual(['06793']);
    const params: unknown[] = [];
    expect(unitsCondition(['06793', '06652'], params)).toBe('commune_code = ANY($1)');
    expect(params).toEqual([['06793', '06652']]);
  });

  it('a mix of both keeps the OR, each side with its own codes', () => {
    const params: unknown[] = [];
    expect(unitsCondition(['06793', '06652', '22'], params)).toBe('(commune_code = ANY($1) OR province_code = $2)');
    expect(params).toEqual([['06793', '06652'], '22']);
  });

  it('no units matches nothing', () => {
    const params: unknown[] = [];
    expect(unitsCondition([], params)).toBe('commune_code = ANY($1)');
    expect(params).toEqual([[]]);
  });
});

describe('read-model indexes in the lists’ order', () => {
  const indexesOf = (target: abstract new () => unknown) =>
    getMetadataArgsStorage()
      .indices.filter((i) => i.target === target)
      .map((i) => i.columns);

  it('rehab_case_row: by commune, by province, by province and status, then registration and id', () => {
    expect(indexesOf(RehabCaseRow)).toEqual(
      expect.arrayContaining([
        ['communeCode', 'registeredOn', 'caseId'],
        ['provinceCode', 'registeredOn', 'caseId'],
        ['provinceCode', 'status', 'registeredOn', 'caseId'],
      ]),
    );
  });

  it('person_row: by commune and by province, then registration time and id', () => {
    expect(indexesOf(PersonRow)).toEqual(
      expect.arrayContaining([
        ['communeCode', 'registeredAt', 'personId'],
        ['provinceCode', 'registeredAt', 'personId'],
      ]),
    );
  });

  it('drug_user_management_row: by commune and by province, then start and id', () => {
    expect(indexesOf(DrugUserManagementRow)).toEqual(
      expect.arrayContaining([
        ['communeCode', 'startsOn', 'managementId'],
        ['provinceCode', 'startsOn', 'managementId'],
      ]),
    );
  });
});
