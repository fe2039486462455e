export * from './border-crossings.data';
export * from './counterpart-units.data';
