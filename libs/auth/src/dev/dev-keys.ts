import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The dev key pair lives here, under the gitignored `.haidang/` of the repo root. */
export const DEV_KEYS_DIR = join('.haidang', 'dev-keys');
const PRIVATE_FILE = 'dev-ed25519.private.pem';
const PUBLIC_FILE = 'dev-ed25519.public.pem';

export interface DevKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly dir: string;
}

/** The repo root: the nearest folder from `start` up that holds nx.json. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json found from ${start} upwards: the dev keys live at the repo root`);
    dir = parent;
  }
}

/**
 * The dev Ed25519 key pair, made on first use. A pair is written into a private temporary folder
 * and renamed into place, so two processes starting at once both end up with the same pair
 * (the loser of the rename reads the winner's) and no one ever reads half a file.
 */
export function loadOrCreateDevKeys(root: string = findRepoRoot()): DevKeyPair {
  const dir = join(root, DEV_KEYS_DIR);
  const existing = readPair(dir);
  if (existing) return existing;

  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(tmp, { mode: 0o700 });
  writeFileSync(join(tmp, PRIVATE_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(tmp, PUBLIC_FILE), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  try {
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
  }
  const pair = readPair(dir);
  if (!pair) throw new Error(`Dev keys in ${dir} are incomplete: delete the folder to make new ones`);
  return pair;
}

function readPair(dir: string): DevKeyPair | undefined {
  const privatePath = join(dir, PRIVATE_FILE);
  const publicPath = join(dir, PUBLIC_FILE);
  if (!existsSync(privatePath) || !existsSync(publicPath)) return undefined;
  return { privateKeyPem: readFileSync(privatePath, 'utf8'), publicKeyPem: readFileSync(publicPath, 'utf8'), dir };
}
