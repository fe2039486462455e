import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import type { CrossBorderAction } from '../cross-border.policy';
import { SEAL_SIGNER } from '../tokens';
import type { CooperationRecordCommand, CooperationRecordEvent, RecordContent } from './domain';
import { assertCooperationRecordInScope } from './cooperation-record-access';
import { cooperationRecord } from './cooperation-record.aggregate';
import { contentHashOf, HASH_ALGORITHM, SIGNATURE_ALGORITHM, type SealSigner } from './seal/seal-signer';

type Conditions = { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined };

/**
 * Every change to an existing cooperation record, whoever sends it: the kit's one pipeline
 * (If-Match, Idempotency-Key, load, authorize, decide, append) with the record's province as scope.
 */
@Injectable()
export class CooperationRecordCommands {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(SEAL_SIGNER) private readonly signer: SealSigner,
  ) {}

  execute(
    id: string,
    principal: Principal,
    conditions: Conditions,
    command: CooperationRecordCommand,
    action: CrossBorderAction = 'records.manage',
  ): Promise<CommandResult<CooperationRecordEvent>> {
    return this.pipeline.execute(cooperationRecord, id, command, {
      ...conditions,
      authorize: (state) => assertCooperationRecordInScope(principal, action, state.content?.provinceCode),
    });
  }

  /**
   * Seals the record as it stands at the version the caller read: the hash of its content in both
   * languages and an Ed25519 signature over (record, hash, day). A retry under its key signs the same
   * content again and gets the same signature (Ed25519 is deterministic).
   */
  seal(id: string, principal: Principal, conditions: Conditions, sealedOn: string): Promise<CommandResult<CooperationRecordEvent>> {
    const placeholder: CooperationRecordCommand = {
      type: 'SealRecord',
      data: {
        sealedOn,
        contentHash: '',
        hashAlgorithm: HASH_ALGORITHM,
        signature: '',
        signatureAlgorithm: SIGNATURE_ALGORITHM,
        publicKey: this.signer.publicKeyPem,
        sealedByAgency: principal.agency.code,
      },
    };
    return this.pipeline.execute(cooperationRecord, id, placeholder, {
      ...conditions,
      request: { route: 'seal', sealedOn },
      authorize: (state) => assertCooperationRecordInScope(principal, 'records.seal', state.content?.provinceCode),
      complete: async (command, state) => {
        if (command.type !== 'SealRecord' || state.content === null) return command;
        const contentHash = contentHashOf(state.content as RecordContent);
        const signature = this.signer.sign({ recordId: id, contentHash, hashAlgorithm: HASH_ALGORITHM, signatureAlgorithm: SIGNATURE_ALGORITHM, sealedOn });
        const signed: CooperationRecordCommand = { type: 'SealRecord', data: { ...command.data, contentHash, signature } };
        return signed;
      },
    });
  }
}
