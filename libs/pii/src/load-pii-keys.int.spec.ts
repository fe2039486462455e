import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_KEK_ID, loadPiiKeys } from './keys';

// Integration tier: it writes the dev secret file in a temporary folder.
const b64 = (n = 32) => randomBytes(n).toString('base64');

describe('loadPiiKeys', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pii-keys-'));
    writeFileSync(join(root, 'nx.json'), '{}');
    mkdirSync(join(root, 'apps', 'cases'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('uses the environment when both keys are set', () => {
    const keys = loadPiiKeys({ env: { NODE_ENV: 'production', DATA_KEY_ENCRYPTION_KEY: `k1:${b64()}`, PERSONAL_ID_INDEX_KEY: b64() }, cwd: root });
    expect(keys.development).toBe(false);
    expect(keys.keyEncryptionKeys.active.id).toBe('k1');
  });

  it('refuses to start in production without real keys', () => {
    expect(() => loadPiiKeys({ env: { NODE_ENV: 'production' }, cwd: root })).toThrow(/DATA_KEY_ENCRYPTION_KEY and PERSONAL_ID_INDEX_KEY/);
    expect(() => loadPiiKeys({ env: { NODE_ENV: 'production', DATA_KEY_ENCRYPTION_KEY: `k1:${b64()}` }, cwd: root })).toThrow(/PERSONAL_ID_INDEX_KEY/);
  });

  it('derives stable dev keys from a secret at the repository root, found from a sub-folder', () => {
    const first = loadPiiKeys({ env: {}, cwd: join(root, 'apps', 'cases') });
    const second = loadPiiKeys({ env: { NODE_ENV: 'development' }, cwd: root });
    expect(first.development).toBe(true);
    expect(first.keyEncryptionKeys.active.id).toBe(DEV_KEK_ID);
    expect(second.keyEncryptionKeys.active.key.equals(first.keyEncryptionKeys.active.key)).toBe(true);
    expect(second.personalIdIndexKey.equals(first.personalIdIndexKey)).toBe(true);
    expect(first.personalIdIndexKey.equals(first.keyEncryptionKeys.active.key)).toBe(false);
    expect(readFileSync(join(root, '.haidang', 'pii-dev-secret'), 'utf8').length).toBeGreaterThan(40);
  });
});
