export {
  COMMUNE_CODE_PATTERN,
  PROVINCE_CODE_PATTERN,
  REORGANISATION_DATE,
  REORGANISATION_INSTANT,
  type AdministrativeUnit,
  type UnitLevel,
} from './administrative-unit';
export { createJurisdiction, type FormerCommuneMatch, type Jurisdiction, type JurisdictionCovers, type UnitCounts } from './jurisdiction';
export { PRE_REFORM_CHANGES, UNMERGED_PROVINCES, type PreReformChange } from './pre-reform-changes.data';
export { responsibleUnit, type PersonJurisdiction } from './responsible-unit';
export { JURISDICTION_DATA_SOURCE, loadShippedIndex, shippedIndexBuildMs, shippedJurisdiction } from './shipped-data';
export { buildUnitIndex, formerNameKey, nameKey, type IndexReport, type NamedFormerCommune, type UnitIndex } from './unit-index';
export {
  countUnits,
  covers,
  coversPerson,
  currentSuccessorsOf,
  findFormerCommuneByName,
  findUnit,
  jurisdiction,
  jurisdictionReport,
  listCommunes,
  listProvinces,
  provinceOf,
  unitNameOn,
} from './api';
