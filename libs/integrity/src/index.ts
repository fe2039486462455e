export { verifyChains, walkChains, type ChainBreak, type ChainBreakReason, type ChainWalk } from './chain-walk';
export { reportReadBreaks, type ChainBreakSource } from './read-breaks';
export {
  CHECKPOINT_FORMAT,
  checkpointDigest,
  createCheckpoint,
  loadCheckpoints,
  logIdentity,
  parsePayload,
  verifyCheckpoint,
  type CheckpointOutcome,
  type CheckpointPayload,
  type SignedCheckpoint,
  type StoredCheckpoint,
} from './checkpoint';
export { CheckpointChannel, checkpointSubject, INTEGRITY_STREAM, INTEGRITY_SUBJECT_PREFIX, type CheckpointChannelOptions } from './checkpoint-channel';
export { checkpointIntervalMsFromEnv, IntegrityCheckpointer, IntegrityService, type IntegrityServiceOptions, type SecurityLog } from './integrity-service';
export { merkleRoot, type StreamHead } from './merkle';
export { integrityMigrations } from './migrations';
export {
  IntegrityKeyError,
  integritySigningKeyFromEnv,
  integrityVerificationKeyFromEnv,
  keyIdOf,
  parsePublicKey,
  publicKeyPem,
  signText,
  verifyText,
  type IntegritySigningKey,
  type IntegrityVerificationKey,
} from './signing-key';
export {
  summaryOf,
  verifyLog,
  type CheckpointSummary,
  type IntegrityBreakReason,
  type IntegrityFinding,
  type IntegrityReport,
  type VerifyLogOptions,
} from './verify-log';
export { INTEGRITY_POLICY_RULES, INTEGRITY_SERVICE, IntegrityController } from './nest/integrity.controller';
export { IntegrityModule } from './nest/integrity.module';
