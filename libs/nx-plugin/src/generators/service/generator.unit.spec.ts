import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { deriveNames, descriptorPorts, pluralOf, serviceGenerator } from './generator';

/** A workspace with what the generator reads: one service (cases on 3001), the reserved ports, the agency types, the lint scopes. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  // Prettier cannot load inside Jest (it imports its ESM parts): the templates' own layout is what is tested.
  for (const file of ['.prettierrc', '.prettierrc.json']) if (tree.exists(file)) tree.delete(file);
  tree.write(
    'package.json',
    JSON.stringify(
      {
        name: '@haidang/source',
        scripts: { start: 'node -r @swc-node/register tools/start.ts', 'start:cases': 'node -r @swc-node/register apps/cases/src/main.ts' },
      },
      null,
      2,
    ) + '\n',
  );
  tree.write('apps/cases/src/service.ts', "export { casesService as service } from './cases-service';\n");
  tree.write('apps/cases/src/cases-service.ts', "export const casesService = defineService({\n  name: 'cases',\n  port: 3001,\n  aggregates: [],\n});\n");
  tree.write(
    'libs/http-platform/src/create-service-app.ts',
    "export const DEFAULT_SERVICE_PORTS = {\n  cases: 3001,\n  employment: 3003,\n  campaigns: 3004,\n  'cross-border': 3005,\n};\n",
  );
  tree.write('libs/request-context/src/principal.ts', "export const AGENCY_TYPES = [\n  'PPC', // x\n  'DOLISA',\n  'COMMUNE',\n  'POLICE',\n] as const;\n");
  tree.write(
    'eslint.config.mjs',
    [
      'export default [',
      '  {',
      '    depConstraints: [',
      "      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },",
      "      { sourceTag: 'scope:cases', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cases'] },",
      "      { sourceTag: 'scope:employment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:employment'] },",
      '    ],',
      '  },',
      '];',
      '',
    ].join('\n'),
  );
  return tree;
}

const EXPECTED_FILES = [
  'project.json',
  'jest.config.js',
  'src/README.md',
  'src/service.ts',
  'src/main.ts',
  'src/demo-thing-service.ts',
  'src/demo-thing.module.ts',
  'src/demo-thing.policy.ts',
  'src/demo-thing.policy.unit.spec.ts',
  'src/demo-thing-errors.http.ts',
  'src/calendar-date.ts',
  'src/tokens.ts',
  'src/demo-thing-record/domain/README.md',
  'src/demo-thing-record/domain/index.ts',
  'src/demo-thing-record/domain/demo-thing-record.events.ts',
  'src/demo-thing-record/domain/demo-thing-record.commands.ts',
  'src/demo-thing-record/domain/demo-thing-record.errors.ts',
  'src/demo-thing-record/domain/demo-thing-record.decider.ts',
  'src/demo-thing-record/domain/demo-thing-record.decider.unit.spec.ts',
  'src/demo-thing-record/demo-thing-record.aggregate.ts',
  'src/demo-thing-record/demo-thing-record-access.ts',
  'src/demo-thing-record/demo-thing-record-commands.ts',
  'src/demo-thing-record/demo-thing-record-change.response.dto.ts',
  'src/demo-thing-record/demo-thing-record.routes.ts',
  'src/demo-thing-record/demo-thing-records.int.spec.ts',
  'src/demo-thing-record/register-demo-thing-record/register-demo-thing-record.handler.ts',
  'src/demo-thing-record/register-demo-thing-record/register-demo-thing-record.http.controller.ts',
  'src/demo-thing-record/register-demo-thing-record/register-demo-thing-record.request.dto.ts',
  'src/demo-thing-record/close-demo-thing-record/close-demo-thing-record.request.dto.ts',
  'src/demo-thing-record/get-demo-thing-record/get-demo-thing-record.http.controller.ts',
  'src/demo-thing-record/get-demo-thing-record/demo-thing-record.response.dto.ts',
  'src/projections/demo-thing-records/demo-thing-records.projection.ts',
  'src/projections/demo-thing-records/demo-thing-records.read-model.ts',
  'src/projections/demo-thing-records/list-demo-thing-records.http.controller.ts',
  'src/projections/demo-thing-records/list-demo-thing-records.request.dto.ts',
].map((file) => `apps/demo-thing/${file}`);

/** Every file under `dir`, recursively. */
function filesUnder(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((child) => {
    const path = `${dir}/${child}`;
    return tree.isFile(path) ? [path] : filesUnder(tree, path);
  });
}

describe('service generator', () => {
  it('creates the service in the shape of cases, and nothing else under apps/<name>', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'demo-thing', port: 3099 });
    expect(filesUnder(tree, 'apps/demo-thing').sort()).toEqual([...EXPECTED_FILES].sort());
    for (const file of EXPECTED_FILES) expect({ file, template: tree.read(file, 'utf-8')?.includes('<%') }).toEqual({ file, template: false });
  });

  it('writes a descriptor launchers find, on the given port, with its aggregate, projection and policy', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'demo-thing', port: 3099 });
    expect(tree.read('apps/demo-thing/src/service.ts', 'utf-8')).toContain("export { demoThingService as service } from './demo-thing-service';");
    expect(tree.read('apps/demo-thing/src/main.ts', 'utf-8')).toContain('runService(service);');
    const descriptor = tree.read('apps/demo-thing/src/demo-thing-service.ts', 'utf-8') ?? '';
    expect(descriptor).toContain("name: 'demo-thing',");
    expect(descriptor).toContain('port: 3099,');
    expect(descriptor).toContain('export async function startDemoThingService(');
    expect(descriptorPorts(tree).get('demo-thing')).toBe(3099);
    const aggregate = tree.read('apps/demo-thing/src/demo-thing-record/demo-thing-record.aggregate.ts', 'utf-8') ?? '';
    expect(aggregate).toContain("personalFields: { DemoThingRecordRegistered: ['note'] },");
    expect(aggregate).toContain('personOf: (id) => id,');
    expect(tree.read('apps/demo-thing/src/demo-thing.policy.ts', 'utf-8')).toContain("'demo-thing-records.register': { agencyTypes: ['DOLISA']");
    expect(tree.read('apps/demo-thing/src/demo-thing-record/demo-thing-record.routes.ts', 'utf-8')).toContain("path: 'api/v1/demo-thing-records',");
    expect(tree.read('apps/demo-thing/src/projections/demo-thing-records/demo-thing-records.projection.ts', 'utf-8')).toContain(
      "name: 'demo_thing_demo_thing_records',",
    );
    expect(readJson(tree, 'apps/demo-thing/project.json')).toMatchObject({ name: 'demo-thing', tags: ['type:app', 'scope:demo-thing'] });
  });

  it('keeps the read side off the aggregate and its commands', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'demo-thing', port: 3099 });
    for (const file of filesUnder(tree, 'apps/demo-thing/src/projections')) {
      const source = tree.read(file, 'utf-8') ?? '';
      expect({ file, imports: /from '[^']*(\.aggregate|commands)'/.test(source) }).toEqual({ file, imports: false });
    }
  });

  it('registers start:<name> in package.json and keeps the other scripts', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'demo-thing', port: 3099 });
    expect(readJson(tree, 'package.json').scripts).toEqual({
      start: 'node -r @swc-node/register tools/start.ts',
      'start:cases': 'node -r @swc-node/register apps/cases/src/main.ts',
      'start:demo-thing': 'node -r @swc-node/register apps/demo-thing/src/main.ts',
    });
  });

  it('adds the scope constraint after the last one, once, and not for a scope already listed', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'demo-thing', port: 3099 });
    const lines = (tree.read('eslint.config.mjs', 'utf-8') ?? '').split('\n');
    expect(lines[6]).toBe("      { sourceTag: 'scope:demo-thing', onlyDependOnLibsWithTags: ['scope:shared', 'scope:demo-thing'] },");
    expect(lines.filter((line) => line.includes('scope:demo-thing'))).toHaveLength(1);
    const before = tree.read('eslint.config.mjs', 'utf-8');
    await serviceGenerator(tree, { name: 'employment', port: 3003 });
    expect(tree.read('eslint.config.mjs', 'utf-8')).toBe(before);
    expect(tree.exists('apps/employment/src/employment-record/employment-record.aggregate.ts')).toBe(true);
  });

  it.each(['DemoThing', 'demo_thing', 'demo thing', '1demo', 'demo--thing', 'demo-', '-demo', ''])('refuses the name %p (not kebab-case)', async (name) => {
    const tree = workspace();
    await expect(serviceGenerator(tree, { name, port: 3099 })).rejects.toThrow(/kebab-case/);
    expect(tree.exists(`apps/${name}`) && name !== '').toBe(false);
  });

  it('refuses a name that exists', async () => {
    await expect(serviceGenerator(workspace(), { name: 'cases', port: 3099 })).rejects.toThrow('apps/cases exists already');
  });

  it('refuses a port another descriptor uses, or one DESIGN reserves for another service', async () => {
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 3001 })).rejects.toThrow('Port 3001 is the port of the cases service');
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 3004 })).rejects.toThrow('reserved for the campaigns service');
    await expect(serviceGenerator(workspace(), { name: 'employment', port: 3099 })).rejects.toThrow('use --port 3003');
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 0 })).rejects.toThrow('--port');
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 3.5 })).rejects.toThrow('--port');
  });

  it('refuses an agency type the workspace does not know, and a bad aggregate name', async () => {
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 3099, agency: 'MINISTRY' })).rejects.toThrow('not an agency type');
    await expect(serviceGenerator(workspace(), { name: 'demo-thing', port: 3099, aggregate: 'placement' })).rejects.toThrow('PascalCase');
  });

  it('leaves the tree as it was when it refuses', async () => {
    const tree = workspace();
    const packageJson = tree.read('package.json', 'utf-8');
    await expect(serviceGenerator(tree, { name: 'demo-thing', port: 3001 })).rejects.toThrow();
    expect(tree.exists('apps/demo-thing')).toBe(false);
    expect(tree.read('package.json', 'utf-8')).toBe(packageJson);
  });

  it('takes an aggregate name, a plural and a managing agency', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'campaigns', port: 3004, aggregate: 'Activity', agency: 'COMMUNE' });
    expect(tree.read('apps/campaigns/src/activity/activity.routes.ts', 'utf-8')).toContain("path: 'api/v1/activities',");
    expect(tree.read('apps/campaigns/src/activity/activities.int.spec.ts', 'utf-8')).toContain("token('22-COMMUNE-06793', ['06793'])");
    expect(tree.read('apps/campaigns/src/campaigns.policy.ts', 'utf-8')).toContain("agencyTypes: ['COMMUNE']");
    expect(deriveNames({ name: 'cross-border', port: 3005, aggregate: 'CooperationLog', plural: 'records' }).plural).toBe('records');
  });

  it('derives names and plurals', () => {
    expect(deriveNames({ name: 'cross-border', port: 3005 })).toMatchObject({
      Name: 'CrossBorder',
      Agg: 'CrossBorderRecord',
      plural: 'cross-border-records',
      agency: 'DOLISA',
    });
    expect(['record', 'facility', 'case', 'match', 'day'].map(pluralOf)).toEqual(['records', 'facilities', 'cases', 'matches', 'days']);
  });
});
