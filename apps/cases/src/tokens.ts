/** Nest injection tokens for the service's infrastructure (one place, so modules agree). */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');
export const PERSONAL_ID_INDEX = Symbol('PERSONAL_ID_INDEX');
export const NAME_INDEX = Symbol('NAME_INDEX');
export const READ_MODEL = Symbol('READ_MODEL_DATA_SOURCE');
/** The kit's clock (`() => Date`): the only source of "now" outside the deciders. */
export const CLOCK = Symbol('CLOCK');
