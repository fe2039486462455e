import { EntitySchema } from 'typeorm';
import { defineProjection, projectionEntities } from './projection-definition';

const Row = new EntitySchema({ name: 'caseload_row', columns: { id: { type: 'text', primary: true } } });
const Other = new EntitySchema({ name: 'other_row', columns: { id: { type: 'text', primary: true } } });

describe('defineProjection', () => {
  it('derives the checkpoint key and the schema from name and version', () => {
    const p = defineProjection({ name: 'caseload', version: 3, entities: [Row], handlers: {} });
    expect(p.key).toBe('caseload.v3');
    expect(p.schema).toBe('proj_caseload_v3');
  });

  it('finds the handler of an event type, and none for other types', () => {
    const started = jest.fn();
    const p = defineProjection<{ RehabStarted: { caseId: string } }>({ name: 'caseload', version: 1, entities: [Row], handlers: { RehabStarted: started } });
    expect(p.handlerFor('RehabStarted')).toBe(started);
    expect(p.handlerFor('RehabCompleted')).toBeUndefined();
  });

  it.each(['Caseload', '1caseload', 'case-load', 'a'.repeat(41), ''])('refuses the name %j, which would not make a safe schema name', (name) => {
    expect(() => defineProjection({ name, version: 1, entities: [Row], handlers: {} })).toThrow(/name/);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses version %p', (version) => {
    expect(() => defineProjection({ name: 'caseload', version, entities: [Row], handlers: {} })).toThrow(/version/);
  });

  it('needs at least one entity', () => {
    expect(() => defineProjection({ name: 'caseload', version: 1, entities: [], handlers: {} })).toThrow(/entity/);
  });

  it('lists every entity of several projections once', () => {
    const a = defineProjection({ name: 'a', version: 1, entities: [Row], handlers: {} });
    const b = defineProjection({ name: 'b', version: 1, entities: [Row, Other], handlers: {} });
    expect(projectionEntities([a, b])).toEqual([Row, Other]);
  });
});
