import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { jurisdiction } from '@haidang/jurisdiction';
import type { PersonalDataProtector, PersonalIdIndex } from '@haidang/pii';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import type { Principal } from '@haidang/request-context';
import { casesPolicy } from '../../cases.policy';
import { validated } from '@haidang/http-platform';
import { personsProjection } from '../../projections/persons/persons.projection';
import { readScopedPage, unitsCondition } from '../../projections/rehab-cases/rehab-cases.read-model';
import { EVENT_STORE, NAME_INDEX, PERSONAL_ID_INDEX, PROTECTOR, READ_MODEL } from '../../tokens';
import { PERSON_STORE, type PersonStore } from '../../person/person.aggregate';
import type { PersonRegisteredV1 } from '../../person/domain';
import type { NameIndex } from '../../person/person-search-keys';
import { SearchPersonsQueryDto } from './search-persons.request.dto';

export const PAGE_SIZE = 20;

interface Row {
  person_id: string;
  commune_code: string;
  version: number;
  erased: boolean;
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/persons')
export class SearchPersonsHttpController {
  constructor(
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
    @Inject(PERSONAL_ID_INDEX) private readonly idIndex: PersonalIdIndex,
    @Inject(NAME_INDEX) private readonly nameIndex: NameIndex,
    @Inject(READ_MODEL) private readonly readModel: DataSource,
  ) {}

  /**
   * Search within the caller's scope. The read model holds keyed hashes only, so a name matches as
   * a whole (normalized), not by parts; names shown are revealed from the events and each person
   * shown is recorded as accessed.
   */
  @Get()
  @Authorize('persons.search')
  async search(@Query(validated(SearchPersonsQueryDto)) query: SearchPersonsQueryDto, @CurrentPrincipal() principal: Principal) {
    if (query.communeCode !== undefined) casesPolicy.assertInScope(principal, 'persons.search', { unitCodes: [query.communeCode] }, jurisdiction);
    const scope = casesPolicy.scopeFor(principal, 'persons.search');
    // own-jurisdiction: the units in the token; any-in-province: the agency's province. Codes are
    // compared as stored; successor codes after a reorganisation are not resolved here (limit).
    const units = scope === 'any-in-province' ? [principal.agency.province] : [...principal.jurisdiction];
    const page = query.page ?? 1;
    const params: unknown[] = [];
    const where: string[] = [unitsCondition(units, params)];
    if (query.communeCode !== undefined) where.push(`commune_code = $${params.push(query.communeCode)}`);
    // The keyed hashes live in the erasable table person_search_keys (issue 10 §5).
    if (query.idNumber !== undefined)
      where.push(`person_id IN (SELECT person_id FROM person_search_keys WHERE personal_id_index = $${params.push(this.idIndex.blindIndex(query.idNumber))})`);
    if (query.q !== undefined)
      where.push(`person_id IN (SELECT person_id FROM person_search_keys WHERE name_index = $${params.push(this.nameIndex.of(query.q) ?? '')})`);
    let rows: Row[];
    let total: number;
    try {
      ({ rows, total } = await readScopedPage<Row>(
        <T>(sql: string, values: unknown[]) => withReadModel(this.readModel, personsProjection.name, (em) => em.query(sql, values) as Promise<T[]>),
        { table: 'person_row', where, params, orderBy: 'registered_at, person_id', page, pageSize: PAGE_SIZE },
      ));
    } catch (error) {
      if (error instanceof ProjectionNotActiveError)
        throw new ProblemHttpException(problem({ status: 503, code: 'read-model-building', detail: 'The persons list is being built. Try again shortly.' }));
      throw error;
    }
    const items = [];
    for (const row of rows) {
      const { state } = await this.persons.load(row.person_id);
      if (state.status === 'absent') continue;
      await recordAccess(this.store, { subjectId: row.person_id, action: 'read', purpose: 'person-search', fields: ['fullName', 'dateOfBirth'] });
      const shown = await this.protector.reveal<PersonRegisteredV1, 'fullName' | 'dateOfBirth'>(row.person_id, state.registered, ['fullName', 'dateOfBirth']);
      items.push({
        id: row.person_id,
        communeCode: row.commune_code,
        version: row.version,
        erased: row.erased,
        fullName: shown.fullName,
        dateOfBirth: shown.dateOfBirth,
      });
    }
    return { page, pageSize: PAGE_SIZE, total, items };
  }
}
