import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { supportModelRegisterFrom } from './projections/support-models/support-model-register';
import { ListReferralsHttpController } from './queries/list-referrals/list-referrals.http.controller';
import { ReferralEscalationsHttpController } from './queries/referral-escalations.http.controller';
import { CasesLookup } from './referral/cases-lookup';
import { CreateReferralHandler } from './referral/create-referral/create-referral.handler';
import { CreateReferralHttpController } from './referral/create-referral/create-referral.http.controller';
import { GetReferralHistoryHttpController } from './referral/get-referral-history/get-referral-history.http.controller';
import { GetReferralHttpController } from './referral/get-referral/get-referral.http.controller';
import { ReferralChanges, ReferralChangesHttpController } from './referral/referral.routes';
import { referralsPolicy } from './referrals.policy';
import { CASES_CLIENT, CASES_SUBJECT_PREFIX, CLOCK, EVENT_STORE, PROTECTOR, READ_MODEL, SUPPORT_MODEL_REGISTER } from './tokens';

/** The referrals service's wiring: the one place that sees the write side, the read side and the infrastructure at once. */
@Module({})
export class ReferralsModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const cases = infrastructure.clients['cases'];
    if (cases === undefined) throw new Error('referrals needs a client of the cases service (descriptor `calls`)');
    // Empty in deployments; tests set the prefix their cases service listens under.
    const casesSubjectPrefix = infrastructure.settings.extra?.['casesSubjectPrefix'];
    return {
      module: ReferralsModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: referralsPolicy, clock: infrastructure.clock })],
      controllers: [
        // The list before `:id`, so `GET /referrals` is never read as an id.
        ListReferralsHttpController,
        CreateReferralHttpController,
        GetReferralHttpController,
        GetReferralHistoryHttpController,
        ReferralChangesHttpController,
        ReferralEscalationsHttpController,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: PROTECTOR, useValue: infrastructure.protector },
        { provide: READ_MODEL, useValue: infrastructure.readModel },
        { provide: CASES_CLIENT, useValue: cases },
        { provide: CASES_SUBJECT_PREFIX, useValue: typeof casesSubjectPrefix === 'string' ? casesSubjectPrefix : '' },
        { provide: CLOCK, useValue: infrastructure.clock },
        // The register of support models the campaigns service's events keep (read side), as the write side's port.
        { provide: SUPPORT_MODEL_REGISTER, useValue: supportModelRegisterFrom(infrastructure.pool) },
        { provide: CommandPipeline, useValue: infrastructure.pipeline },
        ReferralChanges,
        CreateReferralHandler,
        CasesLookup,
      ],
    };
  }
}
