import { join } from 'node:path';
import { generateFiles, logger, names, updateJson, visitNotIgnoredFiles, type GeneratorCallback, type Tree } from '@nx/devkit';
import type { ServiceGeneratorSchema } from './schema';

/** kebab-case: lower-case words of letters and digits joined by single hyphens, starting with a letter. */
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/;
/** `defineService({ … port: 3001 …` in a service's own files. */
const DESCRIPTOR_PORT = /defineService\(\{[\s\S]*?\bport:\s*(\d+)/;
const PROJECTION_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const PRETTIER_CONFIGS = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
];

/** Codes the generated tests use: a commune of Quảng Ninh (22) and one of Lạng Sơn (20), both in force. */
const HOME_PROVINCE = '22';
const HOME_COMMUNE = '06793';
const FAR_PROVINCE = '20';
const FAR_COMMUNE = '05977';

/** Everything the templates read, derived once from the options. */
export interface ServiceNames {
  readonly name: string;
  readonly Name: string;
  readonly nameProp: string;
  readonly NAME: string;
  readonly port: number;
  readonly agency: string;
  readonly agg: string;
  readonly Agg: string;
  readonly aggProp: string;
  readonly AGG: string;
  readonly aggSnake: string;
  readonly aggWords: string;
  readonly plural: string;
  readonly Plural: string;
  readonly pluralProp: string;
  readonly PLURAL: string;
  readonly pluralWords: string;
  readonly projectionName: string;
  readonly homeAgency: string;
  readonly homeUnits: string;
  readonly homeCommune: string;
  readonly farAgency: string;
  readonly farUnits: string;
  readonly farCommune: string;
  readonly otherAgency: string;
  readonly otherUnits: string;
}

/**
 * `nx g @haidang/nx-plugin:service <name> --port <n>`: a new service on the service kit, in the
 * shape of the cases service (apps/<name>), its `start:<name>` script, and its scope constraint in
 * eslint.config.mjs when missing. `npm start` finds it by its descriptor, `apps/<name>/src/service.ts`.
 */
export async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<GeneratorCallback> {
  const derived = deriveNames(options);
  refuseClashes(tree, derived);
  generateFiles(tree, join(__dirname, 'files'), `apps/${derived.name}`, { ...derived, tmpl: '' });
  await formatGenerated(tree, `apps/${derived.name}`);
  addStartScript(tree, derived.name);
  addScopeConstraint(tree, derived.name);
  return () => {
    logger.info(`apps/${derived.name}: npm run start:${derived.name} (port ${derived.port}), npx jest --config jest.config.js apps/${derived.name}`);
  };
}

/** Checks the options' shape and derives every name; throws on a name that is not kebab-case and the like. */
export function deriveNames(options: ServiceGeneratorSchema): ServiceNames {
  const name = String(options.name ?? '').trim();
  if (!KEBAB.test(name)) throw new Error(`The service name must be kebab-case (e.g. employment, cross-border): "${name}"`);
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be an integer from 1 to 65535: "${String(options.port)}"`);
  const agency = String(options.agency ?? 'DOLISA').trim();
  if (!/^[A-Z][A-Z_]*$/.test(agency)) throw new Error(`--agency must be an agency type such as DOLISA or COMMUNE: "${agency}"`);

  const service = names(name);
  const aggregate = options.aggregate?.trim() || `${service.className}Record`;
  if (!PASCAL.test(aggregate)) throw new Error(`--aggregate must be PascalCase (e.g. EmploymentRecord): "${aggregate}"`);
  const agg = names(aggregate);
  const plural = options.plural?.trim() || pluralOf(agg.fileName);
  if (!KEBAB.test(plural)) throw new Error(`--plural must be kebab-case (e.g. employment-records): "${plural}"`);
  const many = names(plural);
  const snake = (kebab: string): string => kebab.replace(/-/g, '_');
  const candidate = `${snake(name)}_${snake(plural)}`;
  const projectionName = PROJECTION_NAME.test(candidate) ? candidate : snake(plural).slice(0, 40);

  // The tests' principals: the managing agency here, another agency type, the same type elsewhere.
  const isCommune = agency === 'COMMUNE';
  const other = agency === 'POLICE' ? 'DOLISA' : 'POLICE';
  return {
    name,
    Name: service.className,
    nameProp: service.propertyName,
    NAME: service.constantName,
    port,
    agency,
    agg: agg.fileName,
    Agg: agg.className,
    aggProp: agg.propertyName,
    AGG: agg.constantName,
    aggSnake: snake(agg.fileName),
    aggWords: agg.fileName.replace(/-/g, ' '),
    plural,
    Plural: many.className,
    pluralProp: many.propertyName,
    PLURAL: many.constantName,
    pluralWords: plural.replace(/-/g, ' '),
    projectionName,
    homeAgency: isCommune ? `${HOME_PROVINCE}-COMMUNE-${HOME_COMMUNE}` : `${HOME_PROVINCE}-${agency}`,
    homeUnits: JSON.stringify([isCommune ? HOME_COMMUNE : HOME_PROVINCE]).replace(/"/g, "'"),
    homeCommune: HOME_COMMUNE,
    farAgency: isCommune ? `${FAR_PROVINCE}-COMMUNE-${FAR_COMMUNE}` : `${FAR_PROVINCE}-${agency}`,
    farUnits: JSON.stringify([isCommune ? FAR_COMMUNE : FAR_PROVINCE]).replace(/"/g, "'"),
    farCommune: FAR_COMMUNE,
    otherAgency: `${HOME_PROVINCE}-${other}`,
    otherUnits: `['${HOME_PROVINCE}']`,
  };
}

/** English plural of the last word of a kebab-case name: record → records, facility → facilities, case → cases. */
export function pluralOf(kebab: string): string {
  if (/[^aeiou]y$/.test(kebab)) return `${kebab.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(kebab)) return `${kebab}es`;
  return `${kebab}s`;
}

/** Refuses a service that exists, a port another descriptor (or the public surface) holds, an unknown agency type. */
function refuseClashes(tree: Tree, n: ServiceNames): void {
  if (tree.exists(`apps/${n.name}`)) throw new Error(`apps/${n.name} exists already: choose another name`);
  for (const [service, port] of descriptorPorts(tree)) {
    if (port === n.port) throw new Error(`Port ${n.port} is the port of the ${service} service (apps/${service}/src): choose another`);
  }
  const reserved = reservedPorts(tree);
  const ownReserved = reserved.get(n.name);
  if (ownReserved !== undefined && ownReserved !== n.port)
    throw new Error(`DESIGN gives ${n.name} port ${ownReserved} (DEFAULT_SERVICE_PORTS): use --port ${ownReserved}`);
  for (const [service, port] of reserved) {
    if (service !== n.name && port === n.port) throw new Error(`Port ${n.port} is reserved for the ${service} service (DEFAULT_SERVICE_PORTS): choose another`);
  }
  const types = agencyTypes(tree);
  if (types !== undefined && !types.includes(n.agency)) throw new Error(`--agency ${n.agency} is not an agency type (${types.join(', ')})`);
}

/** The port of every service whose descriptor `apps/<name>/src/service.ts` exists, read from its defineService call. */
export function descriptorPorts(tree: Tree): Map<string, number> {
  const ports = new Map<string, number>();
  if (!tree.exists('apps')) return ports;
  for (const app of tree.children('apps')) {
    const src = `apps/${app}/src`;
    if (!tree.exists(`${src}/service.ts`)) continue;
    for (const file of tree.children(src)) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
      const match = DESCRIPTOR_PORT.exec(tree.read(`${src}/${file}`, 'utf-8') ?? '');
      if (match?.[1] !== undefined) {
        ports.set(app, Number(match[1]));
        break;
      }
    }
  }
  return ports;
}

/** DEFAULT_SERVICE_PORTS of libs/http-platform (the ports DESIGN's public surface promises). */
function reservedPorts(tree: Tree): Map<string, number> {
  const source = tree.read('libs/http-platform/src/create-service-app.ts', 'utf-8') ?? '';
  const table = /DEFAULT_SERVICE_PORTS[^{]*\{([^}]*)\}/.exec(source)?.[1] ?? '';
  return new Map([...table.matchAll(/'?([a-z][a-z0-9-]*)'?\s*:\s*(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]));
}

/** AGENCY_TYPES of libs/request-context, when the workspace has it. */
function agencyTypes(tree: Tree): string[] | undefined {
  const source = tree.read('libs/request-context/src/principal.ts', 'utf-8');
  const list = source ? /AGENCY_TYPES\s*=\s*\[([\s\S]*?)\]/.exec(source)?.[1] : undefined;
  return list === undefined ? undefined : [...list.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string);
}

/**
 * Prettier over the new service's files only, with the workspace's configuration: `formatFiles` would
 * also reformat package.json and eslint.config.mjs, which are not ours to restyle. Without prettier or
 * a configuration file at the root, the files stay as the templates wrote them.
 */
async function formatGenerated(tree: Tree, root: string): Promise<void> {
  if (!PRETTIER_CONFIGS.some((file) => tree.exists(file))) return;
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    return;
  }
  const files: string[] = [];
  visitNotIgnoredFiles(tree, root, (path) => {
    if (/\.(ts|js|json)$/.test(path)) files.push(path);
  });
  for (const path of files) {
    const config = await prettier.resolveConfig(join(tree.root, path));
    tree.write(path, await prettier.format(tree.read(path, 'utf-8') ?? '', { ...(config ?? {}), filepath: path }));
  }
}

/** `start:<name>` beside the other scripts; the rest of package.json is left as it is. */
function addStartScript(tree: Tree, name: string): void {
  updateJson(tree, 'package.json', (json: { scripts?: Record<string, string> }) => {
    json.scripts = { ...(json.scripts ?? {}), [`start:${name}`]: `node -r @swc-node/register apps/${name}/src/main.ts` };
    return json;
  });
}

/** `{ sourceTag: 'scope:<name>', … }` after the last scope constraint of eslint.config.mjs, unless it is there. */
function addScopeConstraint(tree: Tree, name: string): void {
  const path = 'eslint.config.mjs';
  const source = tree.read(path, 'utf-8');
  if (source === null || source.includes(`sourceTag: 'scope:${name}'`)) return;
  const lines = source.split('\n');
  const last = lines.reduce((found, line, index) => (/sourceTag: 'scope:[a-z0-9-]+'/.test(line) ? index : found), -1);
  if (last < 0) throw new Error(`${path} has no scope constraint to add scope:${name} beside: add it by hand`);
  const indent = /^\s*/.exec(lines[last] as string)?.[0] ?? '';
  lines.splice(last + 1, 0, `${indent}{ sourceTag: 'scope:${name}', onlyDependOnLibsWithTags: ['scope:shared', 'scope:${name}'] },`);
  tree.write(path, lines.join('\n'));
}
