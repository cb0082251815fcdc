// The deployment files: every Kubernetes manifest parses, the pieces refer to each other correctly, the
// ConfigMap's config file is one dialsync accepts with the Secret's files, secrets reach the pods as read-only
// files (never as environment variables), the NetworkPolicy fences the daemon in, and the Dockerfile keeps the
// promises the README makes. The several-replica layout (deploy/kubernetes/postgres/) and compose.yaml are
// checked the same way: parsed, the expected kinds and fields, and the settings dialsync actually reads.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { loadConfig, loadStoreConfig } from '../../src/config/load.js';
import { parsePostgresDsn } from '../../src/config/postgres-dsn.js';

const ROOT = resolve(import.meta.dirname, '../..');
const KUBERNETES = join(ROOT, 'deploy/kubernetes');

const manifestSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/) }),
});
type Manifest = z.infer<typeof manifestSchema> & Record<string, unknown>;

const probe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) }).loose();
const volumeMount = z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() });
const envVar = z
  .object({
    name: z.string(),
    value: z.string().optional(),
    valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }).optional() }).loose().optional(),
  })
  .strict();
const container = z
  .object({
    name: z.string(),
    image: z.string().min(1),
    args: z.array(z.string()),
    envFrom: z.array(z.object({ secretRef: z.object({ name: z.string() }).optional(), configMapRef: z.object({ name: z.string() }).optional() })).optional(),
    env: z.array(envVar),
    ports: z.array(z.object({ name: z.string(), containerPort: z.number() })).optional(),
    livenessProbe: probe.optional(),
    readinessProbe: probe.optional(),
    resources: z.object({ requests: z.object({ cpu: z.string(), memory: z.string() }), limits: z.object({ memory: z.string() }) }),
    securityContext: z.object({ allowPrivilegeEscalation: z.literal(false), readOnlyRootFilesystem: z.literal(true), capabilities: z.object({ drop: z.array(z.string()) }) }),
    volumeMounts: z.array(volumeMount),
  })
  .loose();
const podSpec = z
  .object({
    securityContext: z.object({ runAsNonRoot: z.literal(true), runAsUser: z.number().int().positive() }).loose(),
    containers: z.array(container).length(1),
    volumes: z.array(
      z
        .object({
          name: z.string(),
          persistentVolumeClaim: z.object({ claimName: z.string() }).optional(),
          configMap: z.object({ name: z.string() }).optional(),
          emptyDir: z.object({}).loose().optional(),
          secret: z
            .object({
              secretName: z.string(),
              defaultMode: z.number().int().optional(),
              items: z.array(z.object({ key: z.string(), path: z.string(), mode: z.number().int().optional() })).optional(),
            })
            .optional(),
        })
        .loose(),
    ),
  })
  .loose();
const deploymentSchema = z
  .object({
    spec: z
      .object({
        replicas: z.literal(1),
        strategy: z.object({ type: z.literal('Recreate') }),
        selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
        template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }).loose(), spec: podSpec }),
      })
      .loose(),
  })
  .loose();
const selector = z.object({ matchLabels: z.record(z.string(), z.string()) }).strict();
const peer = z.object({ namespaceSelector: selector.optional(), podSelector: selector.optional(), ipBlock: z.object({ cidr: z.string() }).loose().optional() }).strict();
const policyPort = z.object({ protocol: z.enum(['TCP', 'UDP', 'SCTP']), port: z.union([z.string(), z.number()]) }).strict();
const networkPolicySchema = z
  .object({
    spec: z
      .object({
        podSelector: selector,
        policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
        ingress: z.array(z.object({ from: z.array(peer).optional(), ports: z.array(policyPort).optional() }).strict()),
        egress: z.array(z.object({ to: z.array(peer).optional(), ports: z.array(policyPort).optional() }).strict()),
      })
      .strict(),
  })
  .loose();
const cronJobSchema = z
  .object({
    spec: z
      .object({
        schedule: z.string(),
        concurrencyPolicy: z.literal('Forbid'),
        jobTemplate: z.object({
          spec: z.object({ template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }).loose(), spec: podSpec.extend({ restartPolicy: z.enum(['Never', 'OnFailure']) }) }).loose() }).loose(),
        }),
      })
      .loose(),
  })
  .loose();

function loadManifests(): { file: string; manifest: Manifest }[] {
  const files = readdirSync(KUBERNETES).filter((name) => /\.ya?ml$/.test(name));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(KUBERNETES, file), 'utf8')).map((document) => {
      expect(document.errors, `${file}: ${document.errors.map((e) => e.message).join('; ')}`).toEqual([]);
      return { file, manifest: manifestSchema.parse(document.toJS()) as Manifest };
    }),
  );
}

function one(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, `one ${kind}`).toHaveLength(1);
  return found[0] as Manifest;
}

/** The secret files a pod spec mounts: each NAME_FILE variable with its path, mount, volume and path in the volume. */
function secretFiles(spec: z.infer<typeof podSpec>) {
  const main = spec.containers[0];
  if (!main) throw new Error('no container');
  return main.env
    .filter((variable) => variable.name.endsWith('_FILE'))
    .map((variable) => {
      const path = variable.value ?? '';
      const mount = main.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
      const volume = spec.volumes.find((v) => v.name === mount?.name);
      return { variable: variable.name, path, mount, volume, key: posix.relative(mount?.mountPath ?? '/', path) };
    });
}

describe('deploy/kubernetes', () => {
  const manifests = loadManifests().map((entry) => entry.manifest);
  const configMap = z.object({ data: z.object({ 'dialsync.yaml': z.string() }) }).loose().parse(one(manifests, 'ConfigMap'));
  const secret = z.object({ type: z.literal('Opaque'), stringData: z.record(z.string(), z.string()) }).loose().parse(one(manifests, 'Secret'));
  const pvc = one(manifests, 'PersistentVolumeClaim');
  const deployment = deploymentSchema.parse(one(manifests, 'Deployment'));
  const cronJob = cronJobSchema.parse(one(manifests, 'CronJob'));
  const service = z
    .object({ spec: z.object({ selector: z.record(z.string(), z.string()), ports: z.array(z.object({ port: z.number(), targetPort: z.union([z.string(), z.number()]) })) }).loose() })
    .loose()
    .parse(one(manifests, 'Service'));
  const networkPolicy = networkPolicySchema.parse(one(manifests, 'NetworkPolicy'));
  const dialsyncYaml = configMap.data['dialsync.yaml'];
  const daemonPort = z.object({ daemon: z.object({ port: z.number() }).loose() }).loose().parse(parseAllDocuments(dialsyncYaml)[0]?.toJS()).daemon.port;

  it('holds exactly the kinds the README lists, each under a valid name', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'batch/v1 CronJob',
      'networking.k8s.io/v1 NetworkPolicy',
      'v1 ConfigMap',
      'v1 PersistentVolumeClaim',
      'v1 Secret',
      'v1 Service',
    ]);
  });

  it('the Secret holds the three keys, as placeholders only', () => {
    expect(Object.keys(secret.stringData).sort()).toEqual(['dialpad-api-key', 'hook-secret', 'okta-api-token']);
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/^REPLACE_WITH_/);
  });

  const pods = [
    ['Deployment', deployment.spec.template.spec, ['OKTA_API_TOKEN_FILE', 'DIALPAD_API_KEY_FILE', 'DIALSYNC_HOOK_SECRET_FILE']],
    ['CronJob', cronJob.spec.jobTemplate.spec.template.spec, ['OKTA_API_TOKEN_FILE', 'DIALPAD_API_KEY_FILE']],
  ] as const;

  for (const [name, spec, variables] of pods) {
    it(`the ${name} gets its secrets as read-only files (0400) from the Secret, and no secret as an environment variable`, () => {
      const main = spec.containers[0];
      if (!main) throw new Error('no container');
      const files = secretFiles(spec);
      expect(files.map((f) => f.variable).sort()).toEqual([...variables].sort());
      for (const file of files) {
        expect(file.mount?.readOnly, `${file.variable}: read-only mount`).toBe(true);
        const volume = file.volume?.secret;
        expect(volume?.secretName, `${file.variable}: from the Secret`).toBe(one(manifests, 'Secret').metadata.name);
        const item = volume?.items?.find((i) => i.path === file.key);
        const key = item?.key ?? file.key;
        expect(Object.keys(secret.stringData), `${file.variable}: a key of the Secret`).toContain(key);
        // Owner read only; the kubelet adds group read for fsGroup. Nothing for others, nobody writes.
        const mode = item?.mode ?? volume?.defaultMode;
        expect(mode, `${file.variable}: file mode`).toBe(0o400);
      }
      // No secret value in the environment: no envFrom of a Secret, no secretKeyRef, no plain secret variable.
      expect(main.envFrom ?? []).toEqual([]);
      for (const variable of main.env) {
        expect(variable.valueFrom?.secretKeyRef, variable.name).toBeUndefined();
        expect(['OKTA_API_TOKEN', 'DIALPAD_API_KEY', 'DIALSYNC_HOOK_SECRET', 'OKTA_PRIVATE_KEY']).not.toContain(variable.name);
        for (const value of Object.values(secret.stringData)) expect(variable.value ?? '').not.toContain(value);
      }
    });

    it(`the ${name}'s configuration, with the Secret's keys as files where it mounts them, is one dialsync accepts`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'dialsync-deploy-'));
      const file = join(dir, 'dialsync.yaml');
      writeFileSync(file, dialsyncYaml);
      const env: Record<string, string> = {};
      for (const secretFile of secretFiles(spec)) {
        const item = secretFile.volume?.secret?.items?.find((i) => i.path === secretFile.key);
        const local = join(dir, name, secretFile.key);
        mkdirSync(join(dir, name), { recursive: true });
        writeFileSync(local, `${secret.stringData[item?.key ?? basename(secretFile.key)] ?? ''}\n`);
        env[secretFile.variable] = local;
      }
      const config = loadConfig({ file, env });
      expect(config.database).toBe('/data/dialsync.sqlite');
      expect(config.daemon.port).toBe(daemonPort);
      expect(config.dialpad.apiKey).toBe(secret.stringData['dialpad-api-key']);
      expect(config.okta.auth).toEqual({ kind: 'token', token: secret.stringData['okta-api-token'] });
      if (name === 'Deployment') expect(config.daemon.hooks.secret).toBe(secret.stringData['hook-secret']);
    });
  }

  for (const [name, spec, command] of [
    ['Deployment', deployment.spec.template.spec, ['daemon']],
    ['CronJob', cronJob.spec.jobTemplate.spec.template.spec, ['reconcile', '--apply']],
  ] as const) {
    it(`the ${name} runs \`${command.join(' ')}\` as a non-root user on a read-only root, with the store on the PVC and the config from the ConfigMap`, () => {
      const main = spec.containers[0];
      if (!main) throw new Error('no container');
      expect(main.args.slice(0, command.length)).toEqual([...command]);
      expect(main.securityContext.capabilities.drop).toEqual(['ALL']);

      const volumeOf = (mountPath: string) => {
        const mount = main.volumeMounts.find((m) => m.mountPath === mountPath);
        expect(mount, `a volume at ${mountPath}`).toBeDefined();
        return spec.volumes.find((v) => v.name === mount?.name);
      };
      expect(volumeOf('/data')?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
      const configFile = main.args[main.args.indexOf('--config') + 1] ?? '';
      expect(configFile).toBe('/etc/dialsync/dialsync.yaml');
      expect(volumeOf('/etc/dialsync')?.configMap?.name).toBe(one(manifests, 'ConfigMap').metadata.name);
      // The store's path is the PVC, whichever of env and config file wins.
      expect(main.env).toContainEqual({ name: 'DIALSYNC_DATABASE', value: '/data/dialsync.sqlite' });
    });
  }

  it('the Deployment is one replica, probes /healthz and /readyz on the port the config sets, and sets resources', () => {
    const main = deployment.spec.template.spec.containers[0];
    if (!main) throw new Error('no container');
    const port = main.ports?.find((p) => p.name === 'http');
    expect(port?.containerPort).toBe(daemonPort);
    expect(main.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(main.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[key]).toBe(value);
  });

  it('the Service selects the Deployment’s pods and forwards to its http port', () => {
    for (const [key, value] of Object.entries(service.spec.selector)) expect(deployment.spec.template.metadata.labels[key]).toBe(value);
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
  });

  it('the NetworkPolicy selects the daemon’s pods (and the CronJob’s) and governs both directions', () => {
    const labels = networkPolicy.spec.podSelector.matchLabels;
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(labels)) {
      expect(deployment.spec.template.metadata.labels[key], `Deployment pod label ${key}`).toBe(value);
      expect(cronJob.spec.jobTemplate.spec.template.metadata.labels[key], `CronJob pod label ${key}`).toBe(value);
    }
    expect([...networkPolicy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
  });

  it('the NetworkPolicy admits only the ingress controller and Prometheus, and only to the daemon port', () => {
    const peers = networkPolicy.spec.ingress.flatMap((rule) => {
      // A rule without `from` or `ports` would admit everyone, or every port.
      expect(rule.from?.length, 'from').toBeGreaterThan(0);
      expect(rule.ports, 'ports').toEqual([{ protocol: 'TCP', port: 'http' }]);
      return rule.from ?? [];
    });
    for (const p of peers) {
      expect(p.ipBlock, 'no address range').toBeUndefined();
      expect(p.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'], 'a namespace by name').toMatch(/\S/);
      expect(Object.keys(p.podSelector?.matchLabels ?? {}).length, 'pods by label').toBeGreaterThan(0);
    }
    expect(peers.map((p) => p.podSelector?.matchLabels['app.kubernetes.io/name']).sort()).toEqual(['ingress-nginx', 'prometheus']);
    // The port it names is the daemon's container port.
    const main = deployment.spec.template.spec.containers[0];
    expect(main?.ports?.find((p) => p.name === 'http')?.containerPort).toBe(daemonPort);
  });

  it('the NetworkPolicy lets dialsync out to DNS (the cluster resolver) and HTTPS only', () => {
    const rules = networkPolicy.spec.egress.map((rule) => ({
      to: rule.to?.map((p) => p.podSelector?.matchLabels ?? {}) ?? 'anywhere',
      ports: (rule.ports ?? []).map((p) => `${p.port}/${p.protocol}`).sort(),
    }));
    expect(rules).toEqual([
      { to: [{ 'k8s-app': 'kube-dns' }], ports: ['53/TCP', '53/UDP'] },
      { to: 'anywhere', ports: ['443/TCP'] },
    ]);
    for (const rule of networkPolicy.spec.egress) expect(rule.ports?.length, 'every egress rule names its ports').toBeGreaterThan(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  // Instructions, with continuation lines joined.
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const finalStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

  it('is multi-stage on a Node slim image', () => {
    const froms = instructions.filter((line) => line.startsWith('FROM '));
    expect(froms).toHaveLength(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:\$\{NODE_VERSION\}-slim\b/);
    const version = /^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1];
    expect(Number(version)).toBeGreaterThanOrEqual(22);
  });

  it('ships production dependencies only, runs as a non-root user with the store on /data, and checks /healthz', () => {
    expect(instructions.some((line) => /npm prune --omit=dev/.test(line))).toBe(true);
    expect(finalStage).toContain('USER 1000:1000');
    expect(finalStage.some((line) => line.startsWith('ENV ') && line.includes('DIALSYNC_DATABASE=/data/dialsync.sqlite'))).toBe(true);
    expect(finalStage).toContain('VOLUME ["/data"]');
    expect(finalStage.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/CMD \["node", "-e", .*fetch\(process\.env\.DIALSYNC_HEALTHCHECK_URL/);
    expect(finalStage.some((line) => line.includes('DIALSYNC_HEALTHCHECK_URL=http://127.0.0.1:8080/healthz'))).toBe(true);
    expect(finalStage).toContain('STOPSIGNAL SIGTERM');
    expect(finalStage).toContain('ENTRYPOINT ["node", "dist/cli/main.js"]');
    expect(finalStage.at(-1)).toBe('CMD ["daemon"]');
  });

  it('the build context leaves out what the image must not hold', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', 'data', '.git', 'test', '*.sqlite', '.env']) expect(ignored).toContain(entry);
  });
});

describe('deploy/kubernetes/postgres (several replicas on PostgreSQL)', () => {
  const POSTGRES = join(KUBERNETES, 'postgres');
  const manifests = readdirSync(POSTGRES)
    .filter((name) => /\.ya?ml$/.test(name))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(POSTGRES, file), 'utf8')).map((document) => {
        expect(document.errors, `${file}: ${document.errors.map((e) => e.message).join('; ')}`).toEqual([]);
        return manifestSchema.parse(document.toJS()) as Manifest;
      }),
    );
  // The pieces it shares with the single-replica layout: the config file, the API keys' Secret, the Service.
  const shared = loadManifests().map((entry) => entry.manifest);
  const single = deploymentSchema.parse(one(shared, 'Deployment'));
  const configMap = z.object({ data: z.object({ 'dialsync.yaml': z.string() }) }).loose().parse(one(shared, 'ConfigMap'));
  const keys = z.object({ stringData: z.record(z.string(), z.string()) }).loose().parse(one(shared, 'Secret'));
  const service = z.object({ spec: z.object({ selector: z.record(z.string(), z.string()) }).loose() }).loose().parse(one(shared, 'Service'));

  const deployment = z
    .object({
      spec: z
        .object({
          replicas: z.literal(2),
          strategy: z.object({ type: z.literal('RollingUpdate'), rollingUpdate: z.object({ maxUnavailable: z.literal(0), maxSurge: z.literal(1) }).strict() }).strict(),
          selector: z.object({ matchLabels: z.record(z.string(), z.string()) }).strict(),
          template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }).loose(), spec: podSpec }),
        })
        .loose(),
    })
    .loose()
    .parse(one(manifests, 'Deployment'));
  const pdb = z
    .object({ spec: z.object({ minAvailable: z.literal(1), unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow']).optional(), selector: z.object({ matchLabels: z.record(z.string(), z.string()) }).strict() }).strict() })
    .loose()
    .parse(one(manifests, 'PodDisruptionBudget'));
  const databaseSecret = z.object({ type: z.literal('Opaque'), stringData: z.record(z.string(), z.string()) }).loose().parse(one(manifests, 'Secret'));
  // Egress only: it adds a way out to what ../networkpolicy.yaml allows.
  const networkPolicy = z.object({ spec: networkPolicySchema.shape.spec.omit({ ingress: true }) }).loose().parse(one(manifests, 'NetworkPolicy'));
  const pod = deployment.spec.template;
  const main = pod.spec.containers[0];
  if (!main) throw new Error('no container');
  const job = z
    .object({ spec: z.object({ backoffLimit: z.literal(0), template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }), spec: podSpec.extend({ restartPolicy: z.literal('Never') }) }) }).loose() })
    .loose()
    .parse(one(manifests, 'Job')).spec.template;
  const copy = job.spec.containers[0];
  if (!copy) throw new Error('no container');
  const secretsByName = new Map([
    [one(shared, 'Secret').metadata.name, keys.stringData],
    [one(manifests, 'Secret').metadata.name, databaseSecret.stringData],
  ]);

  /** Each NAME_FILE variable of a pod: the file's mount, and the Secret, key and mode it comes from. */
  function secretKeyFiles(spec: z.infer<typeof podSpec>) {
    return secretFiles(spec).map((file) => {
      const volume = file.volume?.secret;
      const item = volume?.items?.find((i) => i.path === file.key);
      return { variable: file.variable, mount: file.mount, secretName: volume?.secretName, key: item?.key ?? file.key, mode: item?.mode ?? volume?.defaultMode };
    });
  }

  /** The environment dialsync would see in `spec`'s pod: the Secret's DSN, and each _FILE variable naming a local copy of its Secret key. */
  function podEnvironment(spec: z.infer<typeof podSpec>, dir: string): Record<string, string> {
    const env: Record<string, string> = { DIALSYNC_DATABASE: databaseSecret.stringData.dsn ?? '' };
    for (const file of secretKeyFiles(spec)) {
      const local = join(dir, file.variable);
      writeFileSync(local, `${secretsByName.get(file.secretName ?? '')?.[file.key] ?? ''}\n`);
      env[file.variable] = local;
    }
    return env;
  }

  it('holds the Deployment, its PodDisruptionBudget, the DSN’s Secret, the way out to PostgreSQL and the one-off copy Job, and no PersistentVolumeClaim', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'batch/v1 Job',
      'networking.k8s.io/v1 NetworkPolicy',
      'policy/v1 PodDisruptionBudget',
      'v1 Secret',
    ]);
  });

  it('replaces the single-replica Deployment in place: same name and selector, two replicas rolled one at a time', () => {
    expect(one(manifests, 'Deployment').metadata.name).toBe(one(shared, 'Deployment').metadata.name);
    expect(deployment.spec.selector).toEqual(single.spec.selector);
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) expect(pod.metadata.labels[key], key).toBe(value);
    // The shared Service (and so Okta's hook deliveries) reaches every replica.
    for (const [key, value] of Object.entries(service.spec.selector)) expect(pod.metadata.labels[key], key).toBe(value);
  });

  it('the PodDisruptionBudget selects exactly the Deployment’s pods and keeps one running', () => {
    const labels = pdb.spec.selector.matchLabels;
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(labels)) expect(pod.metadata.labels[key], `pod label ${key}`).toBe(value);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    // Not the CronJob's pods, should both ever run in one namespace.
    const cronJobLabels = z.object({ spec: z.object({ jobTemplate: z.object({ spec: z.object({ template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }) }).loose() }).loose() }) }).loose() }).loose().parse(one(shared, 'CronJob')).spec.jobTemplate.spec.template.metadata.labels;
    expect(Object.entries(labels).every(([key, value]) => cronJobLabels[key] === value)).toBe(false);
  });

  for (const [name, spec] of [
    ['Deployment', pod.spec],
    ['Job', job.spec],
  ] as const) {
    it(`the ${name} takes the DSN without its password from the Secret, the password as a read-only 0400 file, and no secret as an environment variable`, () => {
      const container = spec.containers[0];
      if (!container) throw new Error('no container');
      const dsn = container.env.find((variable) => variable.name === 'DIALSYNC_DATABASE');
      expect(dsn).toEqual({ name: 'DIALSYNC_DATABASE', valueFrom: { secretKeyRef: { name: one(manifests, 'Secret').metadata.name, key: 'dsn' } } });
      expect(Object.keys(databaseSecret.stringData).sort()).toEqual(['dsn', 'password']);
      expect(parsePostgresDsn(databaseSecret.stringData.dsn ?? '').password, 'the Secret’s dsn holds no password').toBeNull();
      expect(databaseSecret.stringData.password).toMatch(/^REPLACE_WITH_[A-Z_]+$/);
      const password = secretKeyFiles(spec).find((file) => file.variable === 'DIALSYNC_DATABASE_PASSWORD_FILE');
      expect(password).toMatchObject({ secretName: one(manifests, 'Secret').metadata.name, key: 'password', mode: 0o400, mount: { readOnly: true } });
      for (const file of secretKeyFiles(spec)) {
        expect(file.mount?.readOnly, `${file.variable}: read-only mount`).toBe(true);
        expect(file.mode, `${file.variable}: file mode`).toBe(0o400);
        expect(Object.keys(secretsByName.get(file.secretName ?? '') ?? {}), `${file.variable}: a key of its Secret`).toContain(file.key);
      }
      // The only variable from a Secret is the DSN, which holds no password; every other one names a file.
      for (const variable of container.env.filter((v) => v.name !== 'DIALSYNC_DATABASE')) {
        expect(variable.valueFrom, variable.name).toBeUndefined();
        expect(variable.name, variable.name).toMatch(/_FILE$/);
      }
      for (const variable of container.env) {
        expect(variable.valueFrom?.secretKeyRef?.key ?? 'dsn', variable.name).toBe('dsn');
        expect(['DIALSYNC_DATABASE_PASSWORD', 'PGPASSWORD'], variable.name).not.toContain(variable.name);
        expect(variable.value ?? '', variable.name).not.toContain(databaseSecret.stringData.password);
      }
      expect(container.envFrom ?? []).toEqual([]);
    });
  }

  it('the Deployment gets the API keys as 0400 files from the shared Secret, and mounts no volume for the store', () => {
    const keyFiles = secretKeyFiles(pod.spec).filter((file) => file.secretName === one(shared, 'Secret').metadata.name);
    expect(keyFiles.map((file) => file.variable).sort()).toEqual(['DIALPAD_API_KEY_FILE', 'DIALSYNC_HOOK_SECRET_FILE', 'OKTA_API_TOKEN_FILE']);
    expect(pod.spec.volumes.filter((v) => v.persistentVolumeClaim !== undefined)).toEqual([]);
    expect(main.volumeMounts.map((m) => m.mountPath).sort()).toEqual(['/etc/dialsync', '/run/secrets/dialsync', '/run/secrets/dialsync-database', '/tmp']);
  });

  it('probes as the single-replica Deployment does, on the same port, with the same hardening', () => {
    const first = single.spec.template.spec.containers[0];
    expect(main.livenessProbe).toEqual(first?.livenessProbe);
    expect(main.readinessProbe).toEqual(first?.readinessProbe);
    expect((main as Record<string, unknown>).startupProbe).toEqual((first as Record<string, unknown> | undefined)?.startupProbe);
    expect(main.ports).toEqual(first?.ports);
    expect(main.securityContext).toEqual(first?.securityContext);
    expect(pod.spec.securityContext).toEqual(single.spec.template.spec.securityContext);
    expect(main.args).toEqual(first?.args);
  });

  it('with the Secret’s DSN and password file and the shared ConfigMap and keys, dialsync’s configuration is the PostgreSQL one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-deploy-pg-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, configMap.data['dialsync.yaml']);
    const config = loadConfig({ file, env: podEnvironment(pod.spec, dir) });
    expect(config.database).toBe(databaseSecret.stringData.dsn);
    expect(config.postgres.sslmode).toBe('verify-full');
    expect(config.postgres.password).toBe(databaseSecret.stringData.password);
    expect(config.dialpad.apiKey).toBe(keys.stringData['dialpad-api-key']);
    expect(config.daemon.hooks.secret).toBe(keys.stringData['hook-secret']);
  });

  it('the Job copies the single replica’s store from its PVC into the Secret’s database, with no API key', () => {
    expect(copy.args.slice(0, 2)).toEqual(['migrate', '--from']);
    const from = copy.args[2] ?? '';
    const mount = copy.volumeMounts.find((m) => from.startsWith(`${m.mountPath}/`));
    expect(job.spec.volumes.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName).toBe(one(shared, 'PersistentVolumeClaim').metadata.name);
    // The file the single replica wrote.
    expect(single.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'DIALSYNC_DATABASE', value: from });
    expect(copy.env).toEqual(main.env.filter((v) => v.name.startsWith('DIALSYNC_DATABASE')));
    expect(secretKeyFiles(job.spec).map((file) => file.secretName)).toEqual([one(manifests, 'Secret').metadata.name]);
    // The PodDisruptionBudget does not count it among the daemon's pods.
    expect(Object.entries(pdb.spec.selector.matchLabels).every(([key, value]) => job.metadata.labels[key] === value)).toBe(false);
  });

  it('the Job reads the Deployment’s config file (--config, the ConfigMap mounted as there), so its postgres settings apply to the copy', () => {
    const configFile = (args: readonly string[]) => args[args.indexOf('--config') + 1];
    expect(copy.args).toContain('--config');
    expect(configFile(copy.args)).toBe(configFile(main.args));
    const mountOf = (container: typeof main, volumes: typeof pod.spec.volumes, path: string) => {
      const found = container.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
      return { mountPath: found?.mountPath, readOnly: found?.readOnly, volume: { ...volumes.find((v) => v.name === found?.name), name: undefined } };
    };
    // The config file and the password file come from the same volumes, mounted at the same paths, as the Deployment's.
    for (const path of [configFile(main.args) ?? '', main.env.find((v) => v.name === 'DIALSYNC_DATABASE_PASSWORD_FILE')?.value ?? '']) {
      expect(mountOf(copy, job.spec.volumes, path), path).toEqual(mountOf(main, pod.spec.volumes, path));
    }
    expect(mountOf(copy, job.spec.volumes, configFile(copy.args) ?? '').volume.configMap?.name).toBe(one(shared, 'ConfigMap').metadata.name);
    // A postgres setting in the ConfigMap's file reaches the copy: the store config the Job loads has it.
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-deploy-job-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, `${configMap.data['dialsync.yaml']}postgres:\n  poolSize: 3\n`);
    const config = loadStoreConfig({ file, env: podEnvironment(job.spec, dir) });
    expect(config.database).toBe(databaseSecret.stringData.dsn);
    expect(config.postgres).toMatchObject({ sslmode: 'verify-full', poolSize: 3, password: databaseSecret.stringData.password });
  });

  it('the PodDisruptionBudget lets unready pods be evicted (AlwaysAllow): a database outage leaves both unready and must not block a node drain', () => {
    expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  it('the added NetworkPolicy lets the daemon’s pods out to PostgreSQL’s port only', () => {
    for (const [key, value] of Object.entries(networkPolicy.spec.podSelector.matchLabels)) expect(pod.metadata.labels[key], key).toBe(value);
    expect(networkPolicy.spec.policyTypes).toEqual(['Egress']);
    expect(networkPolicy.spec.egress).toEqual([{ ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });
});

describe('compose.yaml (a local trial on PostgreSQL)', () => {
  const document = parseAllDocuments(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'));
  expect(document).toHaveLength(1);
  expect(document[0]?.errors).toEqual([]);
  const healthcheck = z.object({ test: z.array(z.string()).min(2), interval: z.string(), retries: z.number() }).loose();
  const compose = z
    .object({
      services: z
        .object({
          postgres: z.object({ image: z.string(), environment: z.record(z.string(), z.string()), volumes: z.array(z.string()), healthcheck }).loose(),
          sandbox: z.object({ image: z.string(), command: z.array(z.string()), environment: z.record(z.string(), z.string()), healthcheck }).loose(),
          dialsync: z
            .object({
              build: z.literal('.'),
              command: z.array(z.string()),
              environment: z.record(z.string(), z.string()),
              ports: z.array(z.string()),
              depends_on: z.record(z.string(), z.object({ condition: z.string() }).strict()),
            })
            .loose(),
        })
        .strict(),
      volumes: z.record(z.string(), z.unknown()),
    })
    .loose()
    .parse(document[0]?.toJS());
  const { postgres, sandbox, dialsync } = compose.services;

  it('runs PostgreSQL 17 with a healthcheck and its data on a named volume', () => {
    expect(postgres.image).toBe('postgres:17');
    expect(postgres.healthcheck.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    const [volume, path] = (postgres.volumes[0] ?? '').split(':');
    expect(path).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('runs the daemon built from the Dockerfile once PostgreSQL and the sandbox are healthy', () => {
    expect(dialsync.command).toEqual(['daemon']);
    expect(dialsync.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, sandbox: { condition: 'service_healthy' } });
    expect(dialsync.ports.some((port) => port.endsWith(':8080'))).toBe(true);
  });

  it('runs the repository’s sandbox (`npm run sandbox`) on the ports and with the credentials the daemon is given', () => {
    const script = z.object({ scripts: z.object({ sandbox: z.string() }).loose() }).loose().parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).scripts.sandbox;
    expect(['node', ...sandbox.command.slice(1)].join(' ')).toBe(script);
    expect(sandbox.image).toMatch(/^node:\d+-slim$/);
    // Every SANDBOX_* variable is one the sandbox reads.
    const sandboxMain = readFileSync(join(ROOT, 'sandbox/main.ts'), 'utf8');
    for (const name of Object.keys(sandbox.environment)) expect(sandboxMain, name).toContain(name);
    const env = sandbox.environment;
    expect(dialsync.environment.OKTA_ORG_URL).toBe(`http://${env.SANDBOX_PUBLIC_HOST}:${env.SANDBOX_OKTA_PORT}`);
    expect(dialsync.environment.DIALPAD_BASE_URL).toBe(`http://${env.SANDBOX_PUBLIC_HOST}:${env.SANDBOX_DIALPAD_PORT}`);
    expect(env.SANDBOX_PUBLIC_HOST).toBe('sandbox');
    expect(dialsync.environment.OKTA_APP_ID).toBe(env.SANDBOX_OKTA_APP_ID);
    expect(dialsync.environment.OKTA_API_TOKEN).toBe(env.SANDBOX_OKTA_API_TOKEN);
    expect(dialsync.environment.DIALPAD_API_KEY).toBe(env.SANDBOX_DIALPAD_API_KEY);
    expect(sandbox.healthcheck.test.join(' ')).toContain(`:${env.SANDBOX_OKTA_PORT}/`);
  });

  it('gives the daemon only variables dialsync reads, and a DSN for the postgres service’s database and user', () => {
    const config = loadConfig({ env: dialsync.environment });
    expect(config.okta.orgUrl).toBe(dialsync.environment.OKTA_ORG_URL);
    expect(config.okta.appId).toBe(dialsync.environment.OKTA_APP_ID);
    expect(config.okta.auth).toEqual({ kind: 'token', token: dialsync.environment.OKTA_API_TOKEN });
    expect(config.dialpad.baseUrl).toBe(dialsync.environment.DIALPAD_BASE_URL);
    expect(config.dialpad.apiKey).toBe(dialsync.environment.DIALPAD_API_KEY);
    expect(config.logLevel).toBe(dialsync.environment.DIALSYNC_LOG_LEVEL);
    expect(config.database).toBe(dialsync.environment.DIALSYNC_DATABASE);
    // Each name is one the config loader reads (a misspelt one would be ignored without a word).
    const loader = readFileSync(join(ROOT, 'src/config/load.ts'), 'utf8');
    for (const name of Object.keys(dialsync.environment)) expect(loader, name).toContain(`'${name}'`);
    const dsn = new URL(dialsync.environment.DIALSYNC_DATABASE ?? '');
    expect(dsn.protocol).toBe('postgres:');
    expect(dsn.hostname).toBe('postgres');
    expect(dsn.username).toBe(postgres.environment.POSTGRES_USER);
    expect(decodeURIComponent(dsn.password)).toBe(postgres.environment.POSTGRES_PASSWORD);
    expect(dsn.pathname).toBe(`/${postgres.environment.POSTGRES_DB}`);
  });
});
