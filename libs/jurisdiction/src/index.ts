export {
  COMMUNE_CODE_PATTERN,
  PROVINCE_CODE_PATTERN,
  REORGANISATION_DATE,
  REORGANISATION_INSTANT,
  type AdministrativeUnit,
  type UnitLevel,
} from './administrative-unit';
export { createJurisdiction, type Jurisdiction, type JurisdictionCovers, type UnitCounts } from './jurisdiction';
export { responsibleUnit, type PersonJurisdiction } from './responsible-unit';
export { JURISDICTION_DATA_SOURCE, loadShippedIndex, shippedIndexBuildMs, shippedJurisdiction } from './shipped-data';
export { buildUnitIndex, type IndexReport, type UnitIndex } from './unit-index';
export {
  countUnits,
  covers,
  coversPerson,
  currentSuccessorsOf,
  findUnit,
  jurisdiction,
  jurisdictionReport,
  listCommunes,
  listProvinces,
  provinceOf,
} from './api';
