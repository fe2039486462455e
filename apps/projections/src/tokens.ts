/** Nest injection tokens for the infrastructure the service is handed (one place, so modules agree). */
export const READ_MODEL = Symbol('READ_MODEL_DATA_SOURCE');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const INSIGHTS_STORE = Symbol('INSIGHTS_STORE');
