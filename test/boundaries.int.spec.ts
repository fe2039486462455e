/**
 * The module-boundary rules (ADR 0005) must actually fire: each case lints a deliberately bad
 * import from a sample project and expects the rule's error.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const fixture = (project: string, file: string) => join(root, 'test/fixtures/boundaries', project, 'src', file);

jest.setTimeout(120_000);

describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx rule reads the cached project graph; compute it as `npm run lint` does.
    execFileSync(join(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, stdio: 'ignore' });
  });

  // ESLint's flat config is ESM, which Jest's module system cannot load: lint in a child process.
  async function errorsFor(code: string, filePath: string): Promise<string[]> {
    let output: string;
    try {
      output = execFileSync(join(root, 'node_modules/.bin/eslint'), ['--no-ignore', '--format', 'json', '--stdin', '--stdin-filename', filePath], {
        cwd: root,
        input: code,
        encoding: 'utf8',
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit code 1 when it found errors
    }
    const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string; message: string; severity: number }> }>;
    return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('keeps domain code free of frameworks and engines', async () => {
    for (const pkg of ['@nestjs/common', 'typeorm', 'pg', '@nats-io/jetstream']) {
      const errors = await errorsFor(`import * as x from '${pkg}';\nexport const y = x;\n`, fixture('domain-sample', 'decider.ts'));
      expect(errors.join('\n')).toMatch(/enforce-module-boundaries/);
    }
  });

  it('keeps domain code from depending on infrastructure libraries', async () => {
    const errors = await errorsFor(`import { START } from '@haidang/event-store';\nexport const y = START;\n`, fixture('domain-sample', 'decider.ts'));
    expect(errors.join('\n')).toMatch(/enforce-module-boundaries/);
  });

  it('never lets one app import another', async () => {
    const errors = await errorsFor(`import { sample } from '../../app-b/src/index';\nexport const y = sample;\n`, fixture('app-a', 'main.ts'));
    expect(errors.join('\n')).toMatch(/enforce-module-boundaries/);
  });

  it('applies the same ban to domain folders inside a service', async () => {
    const errors = await errorsFor(
      `import { Entity } from 'typeorm';\nexport const y = Entity;\n`,
      join(root, 'apps/cases/src/rehab-case/domain/rehab-case.decider.ts'),
    );
    expect(errors.join('\n')).toMatch(/no-restricted-imports/);
  });

  it('keeps the test harness out of production code', async () => {
    const errors = await errorsFor(
      `import { createTestDatabase } from '@haidang/testing';\nexport const y = createTestDatabase;\n`,
      join(root, 'libs/event-store/src/x.ts'),
    );
    expect(errors.join('\n')).toMatch(/no-restricted-imports|enforce-module-boundaries/);
  });

  it('keeps the write side of a service off its read models: ports, wired in the module', async () => {
    const handler = join(root, 'apps/cases/src/rehab-case/register-rehab-case/register-rehab-case.handler.ts');
    for (const target of ['../../projections/rehab-cases/rehab-cases.projection', '../../queries/list-rehab-cases/list-rehab-cases.http.controller']) {
      const errors = await errorsFor(`import * as x from '${target}';\nexport const y = x;\n`, handler);
      expect(errors.join('\n')).toMatch(/no-restricted-imports.*ports/);
    }
    // Domain folders too, beside their framework ban.
    const domain = await errorsFor(
      `import * as x from '../../projections/rehab-cases/rehab-cases.read-model';\nexport const y = x;\n`,
      join(root, 'apps/cases/src/rehab-case/domain/rehab-case.decider.ts'),
    );
    expect(domain.join('\n')).toMatch(/no-restricted-imports.*ports/);
  });

  it('keeps the read side off the write side: projections fold events, never commands', async () => {
    const projection = join(root, 'apps/cases/src/projections/rehab-cases/rehab-cases.projection.ts');
    for (const target of [
      '../../rehab-case/rehab-case.aggregate',
      '../../rehab-case/rehab-case-commands',
      '../../person/register-person/register-person.handler',
    ]) {
      const errors = await errorsFor(`import * as x from '${target}';\nexport const y = x;\n`, projection);
      expect(errors.join('\n')).toMatch(/no-restricted-imports.*never on the write side/);
    }
    const domainTypes = await errorsFor(`import type { RehabStarted } from '../../rehab-case/domain';\nexport type Y = RehabStarted;\n`, projection);
    expect(domainTypes).toEqual([]);
  });

  it('keeps the wall clock out of a service: time comes from the injected clock', async () => {
    const errors = await errorsFor(`export const now = (): Date => new Date();\n`, join(root, 'apps/cases/src/rehab-case/rehab-case-commands.ts'));
    expect(errors.join('\n')).toMatch(/no-restricted-syntax.*injected clock/);
    expect(
      await errorsFor(`export const then = (ms: number): Date => new Date(ms);\n`, join(root, 'apps/cases/src/rehab-case/rehab-case-commands.ts')),
    ).toEqual([]);
  });

  it('keeps tools and benchmarks off the apps’ code: they find services by their descriptors', async () => {
    const errors = await errorsFor(
      `import { casesService } from '../apps/cases/src/cases-service';\nexport const y = casesService;\n`,
      join(root, 'tools/start.ts'),
    );
    expect(errors.join('\n')).toMatch(/enforce-module-boundaries/);
  });

  it('accepts the allowed direction', async () => {
    const errors = await errorsFor(`import { START } from '@haidang/event-store';\nexport const y = START;\n`, fixture('app-a', 'main.ts'));
    expect(errors).toEqual([]);
  });
});
