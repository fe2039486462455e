import { IdempotencyKeyReusedError, InvalidAppendError, WrongExpectedVersionError } from '@haidang/event-store';
import { RemoteServiceError, ServiceUnavailableError } from '@haidang/messaging';
import { currentContext } from '@haidang/request-context';
import { Body, Controller, Get, Injectable, Logger, Module, Param, Post, Query, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiProperty } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import { DomainRuleViolation } from '../problem/problem-details';

export class ResidenceDto {
  @ApiProperty({ example: '06793' })
  @Matches(/^\d{5}$/)
  readonly communeCode!: string;
}

export class RegisterPersonDto {
  @ApiProperty({ example: 'Nguyễn Văn A' })
  @IsString()
  @Length(1, 200)
  readonly fullName!: string;

  @ApiProperty({ example: '001234567890' })
  @Matches(/^\d{12}$/)
  readonly idNumber!: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsInt()
  @Min(0)
  readonly age?: number;

  @ApiProperty({ type: ResidenceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ResidenceDto)
  readonly residence!: ResidenceDto;
}

/** Stands in for `@haidang/auth`: the principal comes from a test header, as a verified token would give it. */
@Injectable()
export class TestPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: { sub: string } }>();
    const sub = request.headers['x-test-sub'];
    if (sub) request.principal = { sub };
    return true;
  }
}

@Controller('api/v1')
export class SampleController {
  private readonly logger = new Logger('SampleController');

  @Post('persons')
  register(@Body() body: RegisterPersonDto, @Query('q') _q?: string): { ok: true; correlationId: string | undefined } {
    // A careless log line: the redaction list must catch the personal fields in it.
    this.logger.log({ person: body }, 'person registered');
    return { ok: true, correlationId: currentContext()?.correlationId };
  }

  /** A route with a budget of its own, as registration will have. */
  @Post('throttled')
  @Throttle({ default: { limit: 2, ttl: 60_000 } })
  throttled(): { ok: true } {
    return { ok: true };
  }

  @Get('persons/:id')
  read(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get('context')
  context(): { correlationId: string | undefined } {
    return { correlationId: currentContext()?.correlationId };
  }

  /** What a command handler finds in its context: the ids its events' metadata will carry. */
  @Post('context')
  commandContext(): { correlationId?: string; causationId?: string; commandId?: string } {
    const context = currentContext();
    return { correlationId: context?.correlationId, causationId: context?.causationId, commandId: context?.commandId };
  }

  @Post('fail/:kind')
  fail(@Param('kind') kind: string): never {
    switch (kind) {
      case 'conflict':
        throw new WrongExpectedVersionError('Person-5b0a3c9e-0000-4000-8000-000000000001', 3n, 4n);
      case 'rule':
        throw new DomainRuleViolation('rehab-not-completed', 'Post-rehab management cannot start before rehab is completed.');
      case 'domain-lib-rule': {
        // A domain library's own class, unknown to this lib but shaped the same.
        const error = Object.assign(new Error('A referral cannot be accepted twice.'), { name: 'DomainRuleViolation', rule: 'already-accepted' });
        throw error;
      }
      case 'idempotency':
        throw new IdempotencyKeyReusedError('key-1');
      case 'invalid-append':
        throw new InvalidAppendError('Invalid stream name: "Nguyễn"');
      case 'unavailable':
        throw new ServiceUnavailableError('referrals', 'referrals.create', 'timeout');
      case 'remote-refusal':
        throw new RemoteServiceError('referrals', 'referrals.accept', 404, 'not-found', 'Referral not found');
      case 'remote-failure':
        throw new RemoteServiceError('referrals', 'referrals.accept', 500, 'internal', 'The service failed to handle the request');
      default:
        throw new Error(`Cannot store Trần Thị Bích 079123456789 for ${kind}`);
    }
  }
}

@Module({
  controllers: [SampleController],
  providers: [{ provide: APP_GUARD, useClass: TestPrincipalGuard }],
})
export class SampleAppModule {}
