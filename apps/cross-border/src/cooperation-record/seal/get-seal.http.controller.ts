import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { fold } from '@haidang/decider';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { COOPERATION_RECORD_STORE, type CooperationRecordStore } from '../cooperation-record.aggregate';
import { cooperationRecordDecider, type CooperationRecordEvent } from '../domain';
import { contentHashOf, HASH_ALGORITHM, SIGNATURE_ALGORITHM, sealedContentOf, verifySeal, type SealStatement } from './seal-signer';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class GetSealHttpController {
  constructor(@Inject(COOPERATION_RECORD_STORE) private readonly records: CooperationRecordStore) {}

  /**
   * Everything needed to verify a seal without trusting this service: the content as the log holds
   * it now (canonical JSON), the hash sealed, the signed statement, the signature and the public key.
   * Verify: SHA-256(content) = contentHash, and Ed25519.verify(statement, signature, publicKey).
   */
  @Get(':id/seal')
  @Authorize('records.read')
  @ApiOperation({ summary: 'The seal of a record, with what anyone needs to verify it (SHA-256 + Ed25519)' })
  @ApiOkResponse({
    description: '`content` is the canonical JSON the hash covers; `statement` the canonical JSON the signature covers; `verified` is this service’s own check',
  })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    // Folded from the log as stored, every time (never a state kept in memory): what is verified is what the log holds now.
    const events = (await this.records.events(id)).map((e) => ({ type: e.type, data: e.data }) as CooperationRecordEvent);
    const state = fold(cooperationRecordDecider, events);
    if (state.content === null) throw problemOf({ kind: 'not-found' }, cooperationRecordErrors);
    assertCooperationRecordInScope(principal, 'records.read', state.content.provinceCode, state.content.kind);
    const seal = state.seal;
    if (seal === null) throw new ProblemHttpException(problem({ status: 404, code: 'not-sealed', detail: 'The record is not sealed yet.' }));
    const statement: SealStatement = {
      recordId: id,
      contentHash: seal.contentHash,
      hashAlgorithm: HASH_ALGORITHM,
      signatureAlgorithm: SIGNATURE_ALGORITHM,
      sealedOn: seal.sealedOn,
    };
    const contentMatches = contentHashOf(state.content) === seal.contentHash;
    const signatureValid = verifySeal(statement, seal.signature, seal.publicKey);
    return {
      recordId: id,
      sealedOn: seal.sealedOn,
      sealedByAgency: seal.sealedByAgency,
      hashAlgorithm: seal.hashAlgorithm,
      contentHash: seal.contentHash,
      signatureAlgorithm: seal.signatureAlgorithm,
      signature: seal.signature,
      publicKey: seal.publicKey,
      statement,
      content: sealedContentOf(state.content),
      verified: { contentMatches, signatureValid, valid: contentMatches && signatureValid },
    };
  }
}
