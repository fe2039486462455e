import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import type { PostgresEventStore } from '@haidang/event-store';
import type { ServiceClient } from '@haidang/messaging';
import type { PersonalDataProtector } from '@haidang/pii';
import { ReferralEscalationsHttpController } from './overdue/referral-escalations.http.controller';
import { AcceptReferralHttpController } from './referral/accept-referral/accept-referral.http.controller';
import { CasesLookup } from './referral/cases-lookup';
import { CompleteReferralHttpController } from './referral/complete-referral/complete-referral.http.controller';
import { CreateReferralHandler } from './referral/create-referral/create-referral.handler';
import { CreateReferralHttpController } from './referral/create-referral/create-referral.http.controller';
import { DeclineReferralHttpController } from './referral/decline-referral/decline-referral.http.controller';
import { GetReferralHttpController } from './referral/get-referral/get-referral.http.controller';
import { GetReferralHistoryHttpController } from './referral/get-referral-history/get-referral-history.http.controller';
import { ListReferralsHttpController } from './referral/list-referrals/list-referrals.http.controller';
import { RedirectReferralHttpController } from './referral/redirect-referral/redirect-referral.http.controller';
import { ReferralCommands } from './referral/referral-commands';
import { ReferralRepository } from './referral/referral.repository';
import { SendReferralHttpController } from './referral/send-referral/send-referral.http.controller';
import { WithdrawConsentHttpController } from './referral/withdraw-consent/withdraw-consent.http.controller';
import { WithdrawReferralHttpController } from './referral/withdraw-referral/withdraw-referral.http.controller';
import { referralsPolicy } from './referrals.policy';
import type { RequestFingerprint } from './request-fingerprint';
import { CASES_CLIENT, CASES_SUBJECT_PREFIX, CLOCK, EVENT_STORE, PROTECTOR, READ_MODEL, REQUEST_FINGERPRINT } from './tokens';

/** The infrastructure the service runs on, made once at boot (startReferralsService) and handed in. */
export interface ReferralsInfrastructure {
  readonly store: PostgresEventStore;
  readonly protector: PersonalDataProtector;
  readonly readModel: DataSource;
  readonly requestFingerprint: RequestFingerprint;
  /** Calls the cases service (NATS or in-process). */
  readonly cases: ServiceClient;
  /** The instant commands are decided at (default the system clock; tests move it). */
  readonly clock?: () => Date;
}

@Module({})
export class ReferralsModule {
  /** `casesSubjectPrefix`: empty in deployments; tests set the prefix their cases service listens under. */
  static forRoot(infra: ReferralsInfrastructure, options: { readonly casesSubjectPrefix?: string } = {}): DynamicModule {
    return {
      module: ReferralsModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: referralsPolicy })],
      controllers: [
        // The list before `:id`, so `GET /referrals` is never read as an id.
        ListReferralsHttpController,
        CreateReferralHttpController,
        GetReferralHttpController,
        GetReferralHistoryHttpController,
        SendReferralHttpController,
        AcceptReferralHttpController,
        DeclineReferralHttpController,
        RedirectReferralHttpController,
        WithdrawReferralHttpController,
        CompleteReferralHttpController,
        WithdrawConsentHttpController,
        ReferralEscalationsHttpController,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: PROTECTOR, useValue: infra.protector },
        { provide: READ_MODEL, useValue: infra.readModel },
        { provide: REQUEST_FINGERPRINT, useValue: infra.requestFingerprint },
        { provide: CASES_CLIENT, useValue: infra.cases },
        { provide: CASES_SUBJECT_PREFIX, useValue: options.casesSubjectPrefix ?? '' },
        { provide: CLOCK, useValue: infra.clock ?? (() => new Date()) },
        ReferralRepository,
        ReferralCommands,
        CreateReferralHandler,
        CasesLookup,
      ],
    };
  }
}
