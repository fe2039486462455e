import { problem, ProblemHttpException } from '@haidang/http-platform';
import { parseAgencyCode } from '@haidang/request-context';

/** Where a support model stands in the register referrals keeps of campaigns' support models. */
export type SupportModelStanding = 'active' | 'inactive' | 'unknown';

/**
 * The write side's port on the register of support models (answered by
 * `projections/support-models`, fed by the campaigns service's integration events): the receivers
 * of SUPPORT_MODEL referrals come from there, not from a shared table.
 */
export interface SupportModelRegister {
  standingOf(modelCode: string): Promise<SupportModelStanding>;
}

/**
 * Refuses (422) a receiver of type SUPPORT_MODEL that the register does not hold, or holds as
 * inactive; any other receiver passes (the decider's catalogue judges it). Made before deciding,
 * never on a retry under an Idempotency-Key (the pipeline's precheck): a referral sent to a club
 * that later closed still answers its retry with the first result.
 */
export async function ensureSupportModelReceives(register: SupportModelRegister, toAgency: string | null | undefined): Promise<void> {
  if (toAgency === null || toAgency === undefined || parseAgencyCode(toAgency)?.type !== 'SUPPORT_MODEL') return;
  const standing = await register.standingOf(toAgency);
  if (standing === 'unknown')
    throw new ProblemHttpException(
      problem({
        status: 422,
        code: 'unknown-support-model',
        detail: `${toAgency} is not in the register of support models (campaigns); a referral can go only to a registered model.`,
      }),
    );
  if (standing === 'inactive')
    throw new ProblemHttpException(
      problem({
        status: 422,
        code: 'support-model-inactive',
        detail: `${toAgency} is inactive in the register of support models; refer the person to an active one.`,
      }),
    );
}
