import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { DUPLICATE_REVIEWS } from '../register-person/register-person.handler';
import type { DuplicateReviewsTable, DuplicateReviewView } from './duplicate-reviews.table';

/**
 * The review tasks opened when a registration matched a person its registering agency may not
 * see (issue 10 §1): listed for the data-protection officers of the province that holds the match,
 * who may read both records. Ids and reason codes only; reading either person is a recorded read.
 */
@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/duplicate-reviews')
export class ListDuplicateReviewsHttpController {
  constructor(@Inject(DUPLICATE_REVIEWS) private readonly reviews: DuplicateReviewsTable) {}

  @Get()
  @Authorize('duplicate-reviews.list')
  @ApiOkResponse({ description: 'Pending reviews of the caller’s province, oldest first (at most 100)' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: DuplicateReviewView[] }> {
    return { items: await this.reviews.pendingIn(principal.agency.province) };
  }
}
