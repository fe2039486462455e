import fc from 'fast-check';
import { fold, isDomainError } from '@haidang/decider';
import type { CooperationRecordCommand, CorrectedRecordFacts } from './cooperation-record.commands';
import { cooperationRecordDecider, decide, type CooperationRecordState } from './cooperation-record.decider';
import type { CooperationRecordEvent } from './cooperation-record.events';
import { canonicalJson } from './canonical-json';
import { NOW, register, registered, seal, sealed, translated } from './cooperation-record.test-fixtures';

/** Any command a client could send to an existing record, with arbitrary (valid or not) data. */
const anyDate = fc.constantFrom('2020-06-12', '2020-06-13', '2021-01-01', '2020-02-30', '2030-01-01');
const anyCommand: fc.Arbitrary<CooperationRecordCommand> = fc.oneof(
  fc.record({ title: fc.string(), body: fc.string(), translator: fc.string() }).map(({ title, body, translator }): CooperationRecordCommand => ({
    type: 'AddTranslation',
    data: { zh: { title, body }, agreedPointsZh: [], translator },
  })),
  anyDate.map((receivedOn): CooperationRecordCommand => ({ type: 'RecordReply', data: { receivedOn } })),
  anyDate.map((sealedOn) => seal(sealedOn)),
  fc.constant(register()),
);

describe('cooperation record properties', () => {
  it('a sealed record never changes: every command after the seal is refused and the state stays as sealed', () => {
    const sealedRecord = [registered(), translated, sealed];
    const atSeal = fold(cooperationRecordDecider, sealedRecord);
    fc.assert(
      fc.property(fc.array(anyCommand, { minLength: 1, maxLength: 8 }), (commands) => {
        let state: CooperationRecordState = atSeal;
        for (const command of commands) {
          const decision = decide(command, state, NOW);
          expect(isDomainError(decision)).toBe(true);
          if (!isDomainError(decision)) state = fold(cooperationRecordDecider, decision, state);
        }
        expect(canonicalJson(state)).toBe(canonicalJson(atSeal));
      }),
    );
  });

  it('corrections chain: each link names the sealed record before it, and an unsealed link stops the chain', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), (sealedLinks) => {
        // Record i corrects record i-1; record i is sealed when sealedLinks[i] says so.
        const states: CooperationRecordState[] = [];
        const original: CooperationRecordEvent[] = [registered({ recordId: 'r0' }), translated, sealed];
        states.push(fold(cooperationRecordDecider, original));
        for (let i = 1; i <= sealedLinks.length; i++) {
          const previous = states[i - 1] as CooperationRecordState;
          const facts: CorrectedRecordFacts = {
            recordId: `r${i - 1}`,
            exists: true,
            sealed: previous.status === 'SEALED',
            kind: previous.content?.kind ?? null,
            provinceCode: previous.content?.provinceCode ?? null,
          };
          const decision = decide(register({ recordId: `r${i}`, corrects: facts }), cooperationRecordDecider.initialState(), NOW);
          if (previous.status !== 'SEALED') {
            expect(isDomainError(decision) && decision.code).toBe('correction-target-not-sealed');
            return;
          }
          expect(isDomainError(decision)).toBe(false);
          const events = [...(decision as CooperationRecordEvent[]), ...(sealedLinks[i - 1] ? [translated, sealed] : [])];
          const state = fold(cooperationRecordDecider, events);
          expect(state.content?.corrects).toBe(`r${i - 1}`);
          states.push(state);
        }
        // Walking back from the last link reaches the original, one sealed record at a time.
        let link = states[states.length - 1] as CooperationRecordState;
        let steps = 0;
        while (link.content?.corrects) {
          const index = Number(link.content.corrects.slice(1));
          link = states[index] as CooperationRecordState;
          expect(link.status).toBe('SEALED');
          steps++;
        }
        expect(link.content?.recordId).toBe('r0');
        expect(steps).toBe(states.length - 1);
      }),
    );
  });

  it('canonical JSON does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(object);
      }),
    );
  });
});
