/**
 * `npm run verify -- --service cases`: verifies a service's log offline, from the command line,
 * against its signed checkpoints (ADR 0011) and the public key: every stream's hash chain, every
 * stored checkpoint's signature and sequence, the latest one's stream heads, and — with a NATS URL —
 * the copy published on `integrity.<service>.checkpoint`. Prints the report as JSON on stdout and
 * one line on stderr. Exit code 0: intact; 1: a break; 2: bad arguments, key or connection.
 *
 * Options (each also from the environment):
 *   --service <name>          the service whose checkpoints to check (required)
 *   --database-url <url>      DATABASE_URL: the service's database
 *   --public-key <pem|base64|path>  INTEGRITY_PUBLIC_KEY; else the public half of INTEGRITY_SIGNING_KEY;
 *                             else (outside production) the development key, said on stderr
 *   --nats-url <url>          NATS_URL: also compare with the checkpoint published on NATS
 */
import { existsSync, readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { CheckpointChannel, integrityVerificationKeyFromEnv, parsePublicKey, verifyLog, type SignedCheckpoint } from '@haidang/integrity';

const USAGE = 'usage: npm run verify -- --service <name> [--database-url <url>] [--public-key <pem|base64|file>] [--nats-url <url>]';

function parseArgs(argv: readonly string[]): Record<string, string> | string {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const match = /^--(service|database-url|public-key|nats-url)(?:=(.*))?$/.exec(flag);
    if (!match) return `unknown argument ${flag}`;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') return `${flag} needs a value`;
    options[match[1] as string] = value;
  }
  return options;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`verify: ${args}\n${USAGE}`);
    return 2;
  }
  const service = args['service'];
  if (!service || !/^[a-z][a-z0-9-]{0,40}$/.test(service)) {
    console.error(`verify: --service <name> is required\n${USAGE}`);
    return 2;
  }
  const databaseUrl = args['database-url'] ?? process.env['DATABASE_URL'];
  if (!databaseUrl) {
    console.error('verify: give --database-url or DATABASE_URL (the embedded default has no server to verify from outside npm start)');
    return 2;
  }
  let key;
  try {
    const given = args['public-key'];
    if (given) key = { ...parsePublicKey(existsSync(given) ? readFileSync(given, 'utf8').trim() : given), source: '--public-key' };
    else key = integrityVerificationKeyFromEnv(process.env);
  } catch (error) {
    console.error(`verify: ${(error as Error).message}`);
    return 2;
  }
  if (key.source === 'development') console.error('verify: no INTEGRITY_PUBLIC_KEY or INTEGRITY_SIGNING_KEY: verifying against the development key');

  const published: SignedCheckpoint[] = [];
  const natsUrl = args['nats-url'] ?? process.env['NATS_URL'];
  if (natsUrl) {
    const channel = new CheckpointChannel({ servers: natsUrl });
    try {
      const latest = await channel.latest(service);
      if (latest) published.push(latest);
    } catch (error) {
      console.error(`verify: the published checkpoints could not be read from NATS (${(error as Error).message}); verifying against the stored ones only`);
    } finally {
      await channel.close();
    }
  }

  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    const report = await verifyLog(pool, { service, key, now: new Date(), published });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const first = report.firstBreak;
    console.error(
      report.intact
        ? `verify: ${service}: intact — ${report.streamsChecked} streams, ${report.eventsChecked} events, ${report.checkpoints.verified} checkpoints verified`
        : `verify: ${service}: ${report.breakCount} break(s); first: ${first?.reason}${first?.streamName ? ` in ${first.streamName}` : ''}${first?.revision !== undefined ? ` at revision ${first.revision}` : ''}${first?.checkpoint !== undefined ? ` (checkpoint ${first.checkpoint})` : ''}`,
    );
    return report.intact ? 0 : 1;
  } catch (error) {
    console.error(`verify: ${(error as Error).message}`);
    return 2;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`verify: ${(error as Error).message}`);
    process.exitCode = 2;
  },
);
