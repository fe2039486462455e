/**
 * `npm run token -- --agency 22-COMMUNE-06793 --role caseworker --unit 06793`: prints a JWT signed
 * with the local dev key (`.haidang/dev-keys`, made on first use), alone on stdout, for the
 * embedded default. Refuses (exit code 2) when NODE_ENV=production or an argument is invalid.
 */
import { parseTokenArgs, signDevToken, TOKEN_USAGE } from '@haidang/auth';

async function main(): Promise<number> {
  if (process.env['NODE_ENV'] === 'production') {
    console.error('token: dev tokens are refused when NODE_ENV=production');
    return 2;
  }
  const args = parseTokenArgs(process.argv.slice(2));
  if (!args.ok) {
    console.error(`token: ${args.error}\n${TOKEN_USAGE}`);
    return 2;
  }
  try {
    process.stdout.write(`${await signDevToken(args.options)}\n`);
    return 0;
  } catch (error) {
    console.error(`token: ${(error as Error).message}`);
    return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`token: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
