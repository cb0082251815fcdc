// The deployment files: every Kubernetes manifest parses, the pieces refer to each other correctly, the
// ConfigMap's config file is one dialsync accepts, and the Dockerfile keeps the promises the README makes.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';

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
const container = z
  .object({
    name: z.string(),
    image: z.string().min(1),
    args: z.array(z.string()),
    envFrom: z.array(z.object({ secretRef: z.object({ name: z.string() }) })),
    env: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
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
const cronJobSchema = z
  .object({
    spec: z
      .object({
        schedule: z.string(),
        concurrencyPolicy: z.literal('Forbid'),
        jobTemplate: z.object({ spec: z.object({ template: z.object({ spec: podSpec.extend({ restartPolicy: z.enum(['Never', 'OnFailure']) }) }).loose() }).loose() }),
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
  const dialsyncYaml = configMap.data['dialsync.yaml'];
  const daemonPort = z.object({ daemon: z.object({ port: z.number() }).loose() }).loose().parse(parseAllDocuments(dialsyncYaml)[0]?.toJS()).daemon.port;

  it('holds exactly the kinds the README lists, each under a valid name', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'batch/v1 CronJob',
      'v1 ConfigMap',
      'v1 PersistentVolumeClaim',
      'v1 Secret',
      'v1 Service',
    ]);
  });

  it('the Secret holds the three keys, as placeholders only', () => {
    expect(Object.keys(secret.stringData).sort()).toEqual(['DIALPAD_API_KEY', 'DIALSYNC_HOOK_SECRET', 'OKTA_API_TOKEN']);
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/^REPLACE_WITH_/);
  });

  it("the ConfigMap's config file, with the Secret's keys in the environment, is a configuration dialsync accepts", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-deploy-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, dialsyncYaml);
    const config = loadConfig({ file, env: { ...secret.stringData } });
    expect(config.database).toBe('/data/dialsync.sqlite');
    expect(config.daemon.port).toBe(daemonPort);
  });

  for (const [name, spec, command] of [
    ['Deployment', deployment.spec.template.spec, ['daemon']],
    ['CronJob', cronJob.spec.jobTemplate.spec.template.spec, ['reconcile', '--apply']],
  ] as const) {
    it(`the ${name} runs \`${command.join(' ')}\` as a non-root user on a read-only root, with the store on the PVC, the config from the ConfigMap and the keys from the Secret`, () => {
      const main = spec.containers[0];
      if (!main) throw new Error('no container');
      expect(main.args.slice(0, command.length)).toEqual([...command]);
      expect(main.envFrom.map((e) => e.secretRef.name)).toEqual([one(manifests, 'Secret').metadata.name]);
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
