import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';
import { problem, ProblemHttpException, validated } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, problemOf } from '@haidang/service-kit';
import { personErrors } from '../../cases-errors.http';
import { CLOCK, EVENT_STORE } from '../../tokens';
import { person, PERSON_STORE, type PersonStore } from '../person.aggregate';
import { DUPLICATE_REVIEWS } from '../register-person/register-person.handler';
import { DUPLICATE_REVIEW_OUTCOMES, type DuplicateReviewOutcome, type DuplicateReviewsTable } from './duplicate-reviews.table';

export class ResolveDuplicateReviewRequestDto {
  @ApiProperty({
    enum: DUPLICATE_REVIEW_OUTCOMES,
    example: 'SAME_PERSON',
    description: 'SAME_PERSON records that the person registered later is the matched one; DIFFERENT_PERSONS closes the review',
  })
  @IsIn(DUPLICATE_REVIEW_OUTCOMES, { message: `outcome must be one of ${DUPLICATE_REVIEW_OUTCOMES.join(', ')}` })
  readonly outcome!: DuplicateReviewOutcome;

  @ApiPropertyOptional({ example: 'Same CCCD confirmed with the commune police', maxLength: 500, description: 'Kept with the review, never in an event' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readonly note?: string;
}

export class DuplicateReviewResolutionDto {
  @ApiProperty({ example: '0193b0c4-7c1e-7a51-9d43-2f1f5c7e0a11' }) readonly reviewId!: string;
  @ApiProperty({ example: 'resolved' }) readonly status!: 'resolved';
  @ApiProperty({ enum: DUPLICATE_REVIEW_OUTCOMES }) readonly outcome!: DuplicateReviewOutcome;
  @ApiProperty({ example: '2026-12-06T05:00:00.000Z' }) readonly resolvedAt!: string;
}

/**
 * Settles a duplicate review (issue 10 §1) by the data-protection officer of the province that
 * holds the match: SAME_PERSON appends `PersonMarkedDuplicateOf` on the stream of the person
 * registered later (ids only; the registering agency is told nothing), DIFFERENT_PERSONS closes
 * the review. Once only: a resolved review is 409, another province's is 404 (no oracle). The
 * review has no version: it is idempotent by its state (pending → resolved).
 */
@ApiTags('persons')
@ApiBearerAuth()
@Controller('api/v1/duplicate-reviews')
export class ResolveDuplicateReviewHttpController {
  constructor(
    @Inject(DUPLICATE_REVIEWS) private readonly reviews: DuplicateReviewsTable,
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PERSON_STORE) private readonly persons: PersonStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Post(':id/resolve')
  @HttpCode(200)
  @Authorize('duplicate-reviews.resolve')
  @ApiOkResponse({ type: DuplicateReviewResolutionDto })
  @ApiNotFoundResponse({ description: 'No review with that id in your province' })
  @ApiConflictResponse({ description: 'The review was resolved already' })
  async resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(ResolveDuplicateReviewRequestDto)) body: ResolveDuplicateReviewRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DuplicateReviewResolutionDto> {
    const review = await this.reviews.findIn(principal.agency.province, id);
    if (!review) throw new ProblemHttpException(problem({ status: 404, detail: 'No duplicate review with that id in your province' }));
    const at = this.clock();
    const note = body.note?.trim() || undefined;
    if (review.status !== 'pending' || !(await this.reviews.resolve(id, { outcome: body.outcome, by: principal.sub, at, note })))
      throw new ProblemHttpException(problem({ status: 409, code: 'already-resolved', detail: 'This duplicate review was resolved already' }));
    try {
      if (body.outcome === 'SAME_PERSON') {
        const { version } = await this.persons.load(review.registeredPersonId);
        const result = await this.pipeline.execute(
          person,
          review.registeredPersonId,
          { type: 'MarkDuplicateOf', data: { personId: review.registeredPersonId, duplicateOf: review.matchedPersonId, reviewId: id } },
          { expected: { version } },
        );
        if (!result.ok) throw problemOf(result.failure, personErrors);
      }
    } catch (error) {
      // Nothing was recorded: the review stays open for another try.
      await this.reviews.reopen(id);
      throw error;
    }
    // Deciding means having compared both records: each person's access log says who did.
    for (const subjectId of [review.registeredPersonId, review.matchedPersonId])
      await recordAccess(this.store, { subjectId, action: 'read', purpose: 'duplicate-resolution' }, at);
    return { reviewId: id, status: 'resolved', outcome: body.outcome, resolvedAt: at.toISOString() };
  }
}
