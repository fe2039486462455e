import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PiiKeyConfigurationError, UnknownKeyEncryptionKeyError } from './errors';

/** A key-encryption key (KEK): wraps per-person data keys, never encrypts personal data itself. */
export interface KeyEncryptionKey {
  /** `[A-Za-z0-9_-]{1,32}`, stored beside every wrapped key so rotation knows which KEK to use. */
  readonly id: string;
  readonly key: Buffer;
}

/** The configured KEKs; the first is active (used to wrap), the others only unwrap until rewrapped. */
export class KeyEncryptionKeys {
  private readonly byId: ReadonlyMap<string, Buffer>;
  readonly active: KeyEncryptionKey;

  constructor(keys: readonly KeyEncryptionKey[]) {
    const [active] = keys;
    if (!active) throw new PiiKeyConfigurationError('At least one key-encryption key is needed');
    const byId = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (!KEK_ID.test(id)) throw new PiiKeyConfigurationError(`Invalid key-encryption key id ${JSON.stringify(id.slice(0, 40))}`);
      if (key.length !== 32) throw new PiiKeyConfigurationError(`Key-encryption key ${id} must be 32 bytes`);
      if (byId.has(id)) throw new PiiKeyConfigurationError(`Key-encryption key id ${id} appears twice`);
      byId.set(id, key);
    }
    this.byId = byId;
    this.active = active;
  }

  get(id: string): Buffer {
    const key = this.byId.get(id);
    if (!key) throw new UnknownKeyEncryptionKeyError(id);
    return key;
  }

  get ids(): readonly string[] {
    return [...this.byId.keys()];
  }
}

const KEK_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `DATA_KEY_ENCRYPTION_KEY`: comma-separated `<id>:<base64 of 32 bytes>` entries, the first
 * one active, e.g. `k2:<base64>,k1:<base64>`. Older KEKs stay listed until `rewrapKeys()` has run.
 */
export function parseKeyEncryptionKeys(value: string): KeyEncryptionKeys {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return new KeyEncryptionKeys(
    entries.map((entry, index) => {
      const colon = entry.indexOf(':');
      // Never echo the entry: it is key material.
      if (colon <= 0) throw new PiiKeyConfigurationError(`DATA_KEY_ENCRYPTION_KEY entry ${index + 1} is not <id>:<base64>`);
      return { id: entry.slice(0, colon), key: decodeKey(entry.slice(colon + 1), `DATA_KEY_ENCRYPTION_KEY entry ${index + 1}`, { exactly: 32 }) };
    }),
  );
}

/** Parses `PERSONAL_ID_INDEX_KEY`: base64 of at least 32 bytes. */
export function parseIndexKey(value: string): Buffer {
  return decodeKey(value.trim(), 'PERSONAL_ID_INDEX_KEY', { atLeast: 32 });
}

function decodeKey(base64: string, what: string, length: { exactly?: number; atLeast?: number }): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new PiiKeyConfigurationError(`${what} is not base64`);
  const key = Buffer.from(base64, 'base64');
  if (length.exactly !== undefined && key.length !== length.exactly)
    throw new PiiKeyConfigurationError(`${what} must decode to exactly ${length.exactly} bytes`);
  if (length.atLeast !== undefined && key.length < length.atLeast)
    throw new PiiKeyConfigurationError(`${what} must decode to at least ${length.atLeast} bytes`);
  return key;
}

export interface PiiKeys {
  readonly keyEncryptionKeys: KeyEncryptionKeys;
  readonly personalIdIndexKey: Buffer;
  /** True when the keys were derived from the local dev secret (never in production). */
  readonly development: boolean;
}

export interface LoadPiiKeysOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where to start looking for the repository root (the folder holding nx.json); default cwd. */
  readonly cwd?: string;
}

/** The id dev keys get, so that a real KEK configured later can rewrap them. */
export const DEV_KEK_ID = 'dev';
const DEV_SECRET_FILE = join('.haidang', 'pii-dev-secret');

/**
 * The keys from the environment. Outside production, a missing variable is replaced by a key
 * derived from `.haidang/pii-dev-secret` at the repository root (made on first use), so `npm start`
 * needs no setup and restarts can still read what they wrote. In production a missing key is fatal:
 * silently generating one would make every later read fail, or worse, share a key across installs.
 */
export function loadPiiKeys(options: LoadPiiKeysOptions = {}): PiiKeys {
  const env = options.env ?? process.env;
  const kekValue = env['DATA_KEY_ENCRYPTION_KEY']?.trim();
  const indexValue = env['PERSONAL_ID_INDEX_KEY']?.trim();
  if (kekValue && indexValue) {
    return { keyEncryptionKeys: parseKeyEncryptionKeys(kekValue), personalIdIndexKey: parseIndexKey(indexValue), development: false };
  }
  if (env['NODE_ENV'] === 'production') {
    const missing = [kekValue ? undefined : 'DATA_KEY_ENCRYPTION_KEY', indexValue ? undefined : 'PERSONAL_ID_INDEX_KEY'].filter(Boolean);
    throw new PiiKeyConfigurationError(`${missing.join(' and ')} must be set when NODE_ENV=production`);
  }
  const secret = readOrCreateDevSecret(options.cwd ?? process.cwd());
  return {
    keyEncryptionKeys: kekValue ? parseKeyEncryptionKeys(kekValue) : new KeyEncryptionKeys([{ id: DEV_KEK_ID, key: deriveDevKey(secret, 'haidang/pii/kek') }]),
    personalIdIndexKey: indexValue ? parseIndexKey(indexValue) : deriveDevKey(secret, 'haidang/pii/personal-id-index'),
    development: true,
  };
}

function deriveDevKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, 32));
}

function readOrCreateDevSecret(cwd: string): Buffer {
  const file = join(findRepoRoot(cwd), DEV_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': two processes starting together must not overwrite each other's secret.
      writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new PiiKeyConfigurationError(`${DEV_SECRET_FILE} is damaged; delete it to make a new one (dev data becomes unreadable)`);
  return secret;
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new PiiKeyConfigurationError('No nx.json above the working directory: set DATA_KEY_ENCRYPTION_KEY and PERSONAL_ID_INDEX_KEY');
  }
}

/** A fresh random 32-byte key in the `DATA_KEY_ENCRYPTION_KEY` entry format, for operators. */
export function generateKeyEncryptionKeyEntry(id: string): string {
  if (!KEK_ID.test(id)) throw new PiiKeyConfigurationError('Invalid key-encryption key id');
  return `${id}:${randomBytes(32).toString('base64')}`;
}
