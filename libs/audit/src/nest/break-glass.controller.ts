import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Type } from 'class-transformer';
import { Counter, type Registry } from 'prom-client';
import { Authorize, CurrentPrincipal, type ActionRule } from '@haidang/auth';
import { StreamNotFoundError, type EventStore } from '@haidang/event-store';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import {
  BREAK_GLASS_MAX_MINUTES,
  BREAK_GLASS_MAX_REASON_LENGTH,
  BREAK_GLASS_MIN_REASON_LENGTH,
  grantBreakGlass,
  listBreakGlassForAgency,
  type BreakGlassGrant,
} from '../break-glass';
import { InvalidAuditInputError } from '../errors';

export const BREAK_GLASS_DEPENDENCIES = Symbol('BreakGlassDependencies');

export interface BreakGlassDependencies {
  readonly service: string;
  readonly store: EventStore;
  readonly clock: () => Date;
  /** Security events: one structured warn line, ids and codes only. */
  readonly log: { warn(message: string, fields?: Record<string, unknown>): void };
  readonly registry?: Registry;
}

/** Agencies that may ask for emergency access: state agencies that act on persons. */
const REQUESTERS = ['POLICE', 'COMMUNE_POLICE', 'BORDER_GUARD', 'HEALTH', 'REHAB_FACILITY', 'COMMUNE', 'DOLISA', 'HOME_AFFAIRS'] as const;
const STATE_AGENCIES = [...REQUESTERS, 'PPC', 'EMPLOYMENT_CENTRE', 'COURT', 'EDUCATION', 'FOREIGN_AFFAIRS'] as const;

/** Actions every service's policy gets for the break-glass routes (merged by the service kit). */
export const BREAK_GLASS_POLICY_RULES: Readonly<Record<'break-glass.request' | 'break-glass.list', ActionRule>> = {
  'break-glass.request': { agencyTypes: REQUESTERS, roles: ['caseworker', 'supervisor'], scope: 'own-agency' },
  // The owning agency sees every grant on its records: its supervisors, auditors and data-protection officers.
  'break-glass.list': { agencyTypes: STATE_AGENCIES, roles: ['supervisor', 'auditor', 'data-protection'], scope: 'own-agency' },
};

// Streams of the audit trail itself are not records one can break the glass on.
const AUDIT_STREAM = /^(AccessLog|BreakGlass)-/;

export class BreakGlassRequestDto {
  @ApiProperty({ example: 'Person-0193b0c4-7c1e-7a51-9d43-2f1f5c7e0a11', description: "The record's stream in this service: <Aggregate>-<uuid>" })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9]*-[0-9a-fA-F-]{36}$/, { message: 'subjectId must be a record stream id: <Aggregate>-<uuid>' })
  readonly subjectId!: string;

  @ApiProperty({ example: 'Person admitted unconscious to the provincial hospital; next of kin needed', minLength: BREAK_GLASS_MIN_REASON_LENGTH })
  @IsString()
  @MinLength(BREAK_GLASS_MIN_REASON_LENGTH)
  @MaxLength(BREAK_GLASS_MAX_REASON_LENGTH)
  readonly reason!: string;

  @ApiProperty({ example: 60, minimum: 1, maximum: BREAK_GLASS_MAX_MINUTES, description: 'At most 4 hours' })
  @IsInt()
  @Min(1)
  @Max(BREAK_GLASS_MAX_MINUTES)
  readonly durationMinutes!: number;
}

export class BreakGlassListQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only grants still open now' })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Type(() => String)
  readonly active?: 'true' | 'false';
}

export interface BreakGlassGrantView {
  readonly grantId: string;
  readonly subjectId: string;
  readonly requestedBy: { readonly sub: string; readonly agency: string };
  readonly owningAgency: string;
  readonly reason: string;
  readonly openedAt: string;
  readonly expiresAt: string;
  readonly active: boolean;
}

/**
 * Break-glass over HTTP (issue 10 §12): a principal asks for time-limited access to one record
 * outside their scope, with a reason and a duration of at most 4 hours; the grant is an event in
 * the log (published like every event), a security event in the logs and a counter; the agency
 * that owns the record lists every grant on its records, open or expired.
 */
@ApiTags('break-glass')
@ApiBearerAuth()
@Controller('api/v1/break-glass')
export class BreakGlassController {
  private readonly grants: Counter<'service'> | undefined;

  constructor(@Inject(BREAK_GLASS_DEPENDENCIES) private readonly deps: BreakGlassDependencies) {
    const registry = deps.registry;
    if (registry) {
      this.grants =
        (registry.getSingleMetric('haidang_break_glass_grants_total') as Counter<'service'> | undefined) ??
        new Counter({ name: 'haidang_break_glass_grants_total', help: 'Break-glass grants opened', labelNames: ['service'], registers: [registry] });
    }
  }

  @Post()
  @HttpCode(201)
  @Authorize('break-glass.request')
  @ApiOperation({ summary: 'Opens a time-limited grant (≤ 4 h) to one record outside your scope, with a reason the owning agency sees' })
  async request(@Body() body: BreakGlassRequestDto, @CurrentPrincipal() principal: Principal): Promise<BreakGlassGrantView> {
    if (AUDIT_STREAM.test(body.subjectId)) throw notFound();
    const owningAgency = await this.owningAgencyOf(body.subjectId);
    if (owningAgency === principal.agency.code) {
      throw new ProblemHttpException(
        problem({ status: 422, code: 'break-glass-own-record', detail: 'The record is your own agency’s: break-glass is for records outside your scope.' }),
      );
    }
    const now = this.deps.clock();
    let grant: BreakGlassGrant;
    try {
      grant = await grantBreakGlass(
        this.deps.store,
        { subjectId: body.subjectId, owningAgency, reason: body.reason, durationMinutes: body.durationMinutes },
        now,
      );
    } catch (error) {
      if (error instanceof InvalidAuditInputError) throw new ProblemHttpException(problem({ status: 400, detail: error.message }));
      throw error;
    }
    this.grants?.inc({ service: this.deps.service });
    this.deps.log.warn('break-glass: access opened outside the normal scope', {
      securityEvent: 'break-glass-opened',
      service: this.deps.service,
      grantId: grant.grantId,
      subjectId: grant.subjectId,
      requesterAgency: grant.principalAgency,
      owningAgency: grant.owningAgency,
      expiresAt: grant.expiresAt.toISOString(),
    });
    return viewOf(grant, now);
  }

  @Get()
  @Authorize('break-glass.list')
  @ApiOperation({ summary: 'Every break-glass grant on records your agency owns, oldest first (active=true: only those open now)' })
  async list(@Query() query: BreakGlassListQueryDto, @CurrentPrincipal() principal: Principal): Promise<{ items: BreakGlassGrantView[] }> {
    const now = this.deps.clock();
    const grants = await listBreakGlassForAgency(this.deps.store, principal.agency.code, query.active === 'true' ? { activeAt: now } : {});
    return { items: grants.map((grant) => viewOf(grant, now)) };
  }

  /** The agency that created the record (its first event's metadata): the one to answer for it. */
  private async owningAgencyOf(subjectId: string): Promise<string> {
    try {
      for await (const event of this.deps.store.readStream(subjectId, { maxCount: 1 })) {
        const agency = event.metadata['agency'];
        if (typeof agency === 'string') return agency;
        break;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    throw notFound();
  }
}

function notFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, detail: 'No record with that id in this service' }));
}

function viewOf(grant: BreakGlassGrant, now: Date): BreakGlassGrantView {
  return {
    grantId: grant.grantId,
    subjectId: grant.subjectId,
    requestedBy: { sub: grant.principalSub, agency: grant.principalAgency },
    owningAgency: grant.owningAgency,
    reason: grant.reason,
    openedAt: grant.openedAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    active: grant.openedAt <= now && now < grant.expiresAt,
  };
}
