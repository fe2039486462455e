import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, type ActionRule } from '@haidang/auth';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import { publicKeyPem } from '../signing-key';
import { IntegrityService } from '../integrity-service';
import { summaryOf, type IntegrityReport } from '../verify-log';

export const INTEGRITY_SERVICE = Symbol('IntegrityService');

/** The agencies whose auditors may verify a service's log: state agencies, not support models or NGOs. */
const STATE_AGENCIES = [
  'PPC',
  'DOLISA',
  'REHAB_FACILITY',
  'COMMUNE',
  'POLICE',
  'COMMUNE_POLICE',
  'BORDER_GUARD',
  'EMPLOYMENT_CENTRE',
  'HEALTH',
  'COURT',
  'HOME_AFFAIRS',
  'EDUCATION',
  'FOREIGN_AFFAIRS',
] as const;

/** Actions every service's policy gets for the integrity routes (merged by the service kit). */
export const INTEGRITY_POLICY_RULES: Readonly<Record<'integrity.verify' | 'integrity.checkpoint', ActionRule>> = {
  // The report names streams by id and revision, never personal data: any state agency's auditor may ask.
  'integrity.verify': { agencyTypes: STATE_AGENCIES, roles: ['auditor'], scope: 'own-agency' },
  'integrity.checkpoint': { agencyTypes: STATE_AGENCIES, roles: ['auditor', 'admin'], scope: 'own-agency' },
};

@ApiTags('integrity')
@ApiBearerAuth()
@Controller('api/v1/integrity')
export class IntegrityController {
  constructor(@Inject(INTEGRITY_SERVICE) private readonly integrity: IntegrityService) {}

  @Get()
  @Authorize('integrity.verify')
  @ApiOperation({ summary: "Verifies the service's log against its hash chains and signed checkpoints (auditor)" })
  @ApiOkResponse({ description: 'The report: streams and events checked, the first break (stream and revision), checkpoints verified' })
  verify(): Promise<IntegrityReport> {
    return this.integrity.verify();
  }

  @Post('checkpoints')
  @HttpCode(201)
  @Authorize('integrity.checkpoint')
  @ApiOperation({ summary: 'Signs a checkpoint of the log now (it is also done periodically); refused with 409 while the log does not verify' })
  async checkpoint(): Promise<Record<string, unknown>> {
    const outcome = await this.integrity.checkpoint(true);
    if (outcome.created)
      return { created: true, checkpoint: summaryOf(outcome.parsed), payload: outcome.checkpoint.payload, signature: outcome.checkpoint.signature };
    if (outcome.reason === 'unchanged') return { created: false, checkpoint: summaryOf(outcome.latest) };
    throw new ProblemHttpException(
      problem({
        status: 409,
        code: 'integrity-broken',
        title: 'The log does not verify',
        detail: 'No checkpoint is signed over a log that does not verify; see GET /api/v1/integrity.',
      }),
    );
  }

  @Get('public-key')
  @Authorize('integrity.verify')
  @ApiOperation({ summary: 'The public key checkpoints verify with (SPKI PEM) and its key id' })
  publicKey(): { keyId: string; publicKeyPem: string } {
    return { keyId: this.integrity.keyId, publicKeyPem: publicKeyPem(this.integrity.verificationKey) };
  }
}
