import { parseArgs } from 'node:util';
import { parseAgencyCode, ROLES, type Role } from '@haidang/request-context';
import { homeUnitOf, UNIT_CODE } from '../identity/claims';
import type { DevTokenOptions } from './dev-token';

export type TokenArgs = { readonly ok: true; readonly options: DevTokenOptions } | { readonly ok: false; readonly error: string };

export const TOKEN_USAGE =
  'Usage: npm run token -- --agency <code> --role <role> [--role <role>…] [--unit <code>…] [--sub <id>] [--ttl <8h|15m|seconds>]\n' +
  `  roles: ${ROLES.join(', ')}; agency e.g. 22-COMMUNE-06793, 22-PPC; default unit: the agency's own (its commune, else its province)`;

/** `npm run token` arguments → signDevToken options, or the reason they are refused. */
export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  let values: { agency?: string; role?: string[]; unit?: string[]; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        agency: { type: 'string' },
        role: { type: 'string', multiple: true },
        unit: { type: 'string', multiple: true },
        sub: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }

  if (!values.agency) return { ok: false, error: '--agency is required' };
  const agency = parseAgencyCode(values.agency);
  if (!agency) return { ok: false, error: `--agency ${values.agency} is not <province>-<TYPE>[-<n>] with a known type` };

  const roles = values.role ?? [];
  if (roles.length === 0) return { ok: false, error: '--role is required (one or more)' };
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) return { ok: false, error: `unknown role(s): ${unknown.join(', ')}` };

  const units = values.unit && values.unit.length > 0 ? values.unit : [homeUnitOf(agency) ?? agency.province];
  const badUnits = units.filter((unit) => !UNIT_CODE.test(unit));
  if (badUnits.length > 0) return { ok: false, error: `--unit must be an administrative-unit code (digits): ${badUnits.join(', ')}` };

  let ttl: string | number | undefined;
  if (values.ttl !== undefined) {
    if (/^\d+$/.test(values.ttl)) ttl = Number(values.ttl);
    else if (/^\d+\s?(s|m|h|d)$/.test(values.ttl)) ttl = values.ttl;
    else return { ok: false, error: '--ttl must be seconds or a span like 15m, 8h, 1d' };
  }

  return {
    ok: true,
    options: {
      agency: agency.code,
      roles: roles as Role[],
      units,
      ...(values.sub === undefined ? {} : { sub: values.sub }),
      ...(ttl === undefined ? {} : { ttl }),
    },
  };
}
