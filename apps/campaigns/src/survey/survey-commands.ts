import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import type { SurveyEvent } from './domain';
import { survey } from './survey.aggregate';
import type { RecordSurveyRequestDto } from './survey.dto';

const UNIT_OUTSIDE = {
  kind: 'DomainError',
  code: 'unit-outside-province',
  message: 'every locality of a survey must be the province or one of its communes',
} as const;

export function assertSurveyInScope(principal: Principal, action: CampaignsAction, provinceCode: string): void {
  campaignsPolicy.assertInScope(principal, action, { unitCodes: [provinceCode] }, jurisdiction);
}

@Injectable()
export class SurveyCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async record(body: RecordSurveyRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<SurveyEvent>> {
    const provinceCode = principal.agency.province;
    assertSurveyInScope(principal, 'surveys.record', provinceCode);
    for (const r of body.results) {
      const province = r.unitCode.length === 2 ? r.unitCode : provinceOf(r.unitCode);
      if (province !== provinceCode) return { ok: false, failure: { kind: 'rejected', error: UNIT_OUTSIDE } };
    }
    const surveyId = this.pipeline.storeOf(survey).newId(principal.agency.code, idempotencyKey);
    return this.pipeline.execute(
      survey,
      surveyId,
      {
        type: 'RecordSurvey',
        data: {
          surveyId,
          provinceCode,
          conductedBy: principal.agency.code,
          conductedFrom: body.conductedFrom,
          conductedTo: body.conductedTo,
          planId: body.planId ?? null,
          results: body.results.map((r) => ({ group: r.group, unitCode: r.unitCode, sampleSize: r.sampleSize, aware: r.aware })),
          recordedByType: principal.agency.type,
        },
      },
      { expected: 'new', idempotencyKey, request: { route: 'record-survey', body: { ...body } } },
    );
  }
}
