import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { employmentPolicy } from '../employment.policy';
import type { EmployerCommand, EmployerEvent, TrainingProviderCommand, TrainingProviderEvent } from './domain';
import { employer, trainingProvider } from './registers.aggregate';
import type { RegisterEmployerRequestDto, RegisterTrainingProviderRequestDto } from './registers.request.dto';

const UNKNOWN_COMMUNE = { kind: 'DomainError', code: 'unknown-commune', message: 'no commune in force has that code' } as const;

/** Registers providers and employers in the caller's province: id from the agency and its Idempotency-Key, then the pipeline. */
@Injectable()
export class RegistersHandler {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async registerProvider(body: RegisterTrainingProviderRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult> {
    const provinceCode = provinceOf(body.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    employmentPolicy.assertInScope(principal, 'registers.manage', { unitCodes: [body.communeCode] }, jurisdiction);
    const providerId = this.pipeline.storeOf(trainingProvider).newId(principal.agency.code, idempotencyKey);
    const data = {
      providerId,
      name: body.name,
      kind: body.kind,
      provinceCode,
      communeCode: body.communeCode,
      capacity: body.capacity,
      agencyCode: body.agencyCode ?? null,
      registeredOn: body.registeredOn,
    };
    return this.pipeline.execute(
      trainingProvider,
      providerId,
      { type: 'RegisterTrainingProvider', data },
      {
        expected: 'new',
        idempotencyKey,
        request: { route: 'register-training-provider', body: { ...body } },
      },
    );
  }

  async registerEmployer(body: RegisterEmployerRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult> {
    const provinceCode = provinceOf(body.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    employmentPolicy.assertInScope(principal, 'registers.manage', { unitCodes: [body.communeCode] }, jurisdiction);
    const employerId = this.pipeline.storeOf(employer).newId(principal.agency.code, idempotencyKey);
    const data = {
      employerId,
      name: body.name,
      taxCode: body.taxCode,
      provinceCode,
      communeCode: body.communeCode,
      sector: body.sector,
      registeredOn: body.registeredOn,
    };
    return this.pipeline.execute(
      employer,
      employerId,
      { type: 'RegisterEmployer', data },
      {
        expected: 'new',
        idempotencyKey,
        request: { route: 'register-employer', body: { ...body } },
      },
    );
  }
}

export interface RegisterConditions {
  readonly expected: { readonly version: number };
  readonly idempotencyKey: string | undefined;
}

const assertRegisterInScope = (principal: Principal, entry: { readonly communeCode: string } | null): void =>
  employmentPolicy.assertInScope(principal, 'registers.manage', { unitCodes: entry === null ? [] : [entry.communeCode] }, jurisdiction);

/** Changes and closings of training providers under If-Match: the centre of the entry's province. */
@Injectable()
export class TrainingProviderCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(
    id: string,
    principal: Principal,
    conditions: RegisterConditions,
    command: TrainingProviderCommand,
    request: unknown,
  ): Promise<CommandResult<TrainingProviderEvent>> {
    return this.pipeline.execute(trainingProvider, id, command, { ...conditions, request, authorize: (state) => assertRegisterInScope(principal, state) });
  }
}

/** Changes and closings of employers under If-Match: the centre of the entry's province. */
@Injectable()
export class EmployerCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  execute(id: string, principal: Principal, conditions: RegisterConditions, command: EmployerCommand, request: unknown): Promise<CommandResult<EmployerEvent>> {
    return this.pipeline.execute(employer, id, command, { ...conditions, request, authorize: (state) => assertRegisterInScope(principal, state) });
  }
}

/** Ids the registers give entries registered by `agencyCode` under `idempotencyKey` (demo data finds them by it). */
export const trainingProviderIdFor = (agencyCode: string, key: string): string => deterministicUuid(trainingProvider.idNamespace, agencyCode, key);
export const employerIdFor = (agencyCode: string, key: string): string => deterministicUuid(employer.idNamespace, agencyCode, key);
