// docker/ and docker/k8s checked offline: compose validated by Debian's docker-compose (no engine
// needed for `config`), the Kubernetes manifests rendered by kubectl's kustomize and cross-checked
// (images, env names against the apps' env schemas, secrets only referenced, GPU scheduling).
// No image is built and nothing is applied here: there is no Docker engine and no cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

import { ZApiEnv } from '../apps/api/src/env';
import { ZWorkerEnv } from '../apps/worker/src/env';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCKER = path.join(ROOT, 'docker');
const IMAGES = ['hyperzoo/api', 'hyperzoo/web', 'hyperzoo/worker-cpu', 'hyperzoo/worker-gpu'];
/** Env names each app reads: its zod schema, plus the AWS SDK's credential chain for the API. */
const KNOWN_ENV: Record<string, string[]> = {
  api: [...Object.keys(ZApiEnv.shape), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  worker: Object.keys(ZWorkerEnv.shape),
  web: ['API_URL', 'PORT'],
};
const appOf = (image: string) => (image.includes('worker') ? 'worker' : image.includes('web') ? 'web' : 'api');

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const { POSTGRES_PASSWORD: _p, HZ_WORKER_TOKEN: _t, ...base } = process.env;
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
  if (r.error) throw new Error(`${cmd} is needed for this test (.ci/run installs it): ${r.error.message}`);
  return r;
}

type TService = { image?: string; build?: { dockerfile: string }; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; command?: string[]; deploy?: { resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } } } };

describe('docker/compose.yaml', () => {
  const secrets = { POSTGRES_PASSWORD: 'pw-from-env', HZ_WORKER_TOKEN: 'hz_0123456789ab_token' };
  const config = () => {
    const r = run('docker-compose', ['-f', 'docker/compose.yaml', '--profile', 'gpu', 'config'], secrets);
    expect(r.status, r.stderr).toBe(0);
    return parse(r.stdout) as { services: Record<string, TService> };
  };

  it('is valid, with every service of the stack and a Dockerfile for each build', () => {
    const { services } = config();
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'web', 'worker-cpu', 'worker-gpu']);
    for (const [name, s] of Object.entries(services)) {
      if (s.build) expect(existsSync(path.join(ROOT, s.build.dockerfile)), name).toBe(true);
    }
  });

  it('migrates once before the API starts; Redis never evicts and keeps an AOF; the GPU worker reserves GPUs', () => {
    const { services } = config();
    expect(services.migrate?.command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
    expect(services.api?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(services.redis?.command?.join(' ')).toMatch(/--maxmemory-policy noeviction .*--appendonly yes/);
    expect(services['worker-gpu']?.deploy?.resources?.reservations?.devices?.[0]).toMatchObject({ driver: 'nvidia', capabilities: ['gpu'] });
    expect(services['worker-cpu']?.environment?.HZ_WORKER_TOKEN).toBe(secrets.HZ_WORKER_TOKEN);
  });

  it('has no default secrets: without them it refuses, naming the variable', () => {
    const r = run('docker-compose', ['-f', 'docker/compose.yaml', 'config'], { HZ_WORKER_TOKEN: secrets.HZ_WORKER_TOKEN });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/POSTGRES_PASSWORD/);
    const noToken = run('docker-compose', ['-f', 'docker/compose.yaml', 'config'], { POSTGRES_PASSWORD: 'x' });
    expect(noToken.stderr).toMatch(/worker token/);
  });

  it('passes each app only variables it reads', () => {
    const { services } = config();
    for (const [name, s] of Object.entries(services)) {
      if (!s.image?.startsWith('hyperzoo/') || name === 'migrate') continue;
      for (const key of Object.keys(s.environment ?? {})) expect(KNOWN_ENV[appOf(s.image)], `${name}: ${key}`).toContain(key);
    }
  });
});

describe('Dockerfiles', () => {
  const files = readdirSync(DOCKER).filter((f) => f.startsWith('Dockerfile.'));
  it('exist for api, web, worker-cpu and worker-gpu', () => {
    expect(files.sort()).toEqual(['Dockerfile.api', 'Dockerfile.web', 'Dockerfile.worker-cpu', 'Dockerfile.worker-gpu']);
  });

  it.each(files)('%s: multi-stage, pinned bases, non-root, health check', (file) => {
    const text = readFileSync(path.join(DOCKER, file), 'utf8');
    const stages = text.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const base of text.match(/^ARG \w+_IMAGE=(.+)$/gm) ?? []) expect(base, file).toMatch(/:\d+\.\d+\.\d+/);
    expect(text).toMatch(/^USER (node|1000)$/m);
    expect(text).toMatch(/^HEALTHCHECK /m);
  });

  it('the GPU image fails its build when tfjs-node-gpu does not load', () => {
    expect(readFileSync(path.join(DOCKER, 'Dockerfile.worker-gpu'), 'utf8')).toMatch(/^RUN node -e "require\('@tensorflow\/tfjs-node-gpu'\)/m);
  });
});

describe('scripts/gpu-check.sh', () => {
  it('is valid bash and shellcheck-clean', () => {
    const syntax = run('bash', ['-n', 'scripts/gpu-check.sh']);
    expect(syntax.status, syntax.stderr).toBe(0);
    const lint = run('shellcheck', ['scripts/gpu-check.sh']);
    expect(lint.status, lint.stdout).toBe(0);
  });

  // The build machines have no NVIDIA driver; on a GPU host this case does not apply.
  it.skipIf(run('sh', ['-c', 'command -v nvidia-smi']).status === 0)('fails with a clear message where no GPU is visible', () => {
    const r = run('scripts/gpu-check.sh', []);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/gpu-check: FAIL: nvidia-smi not found: no NVIDIA driver on this machine, so no GPU is visible/);
  });
});

type TContainer = { name: string; image: string; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[]; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } };
type TDoc = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
type TPodSpec = { containers: TContainer[]; nodeSelector?: Record<string, string>; tolerations?: { key: string }[]; terminationGracePeriodSeconds?: number };

/** Models by apiVersion, for the versions docker/k8s uses; another one fails the schema test until added here. */
const MODELS: Record<string, Record<string, unknown>> = { v1: core, 'apps/v1': apps, 'batch/v1': batch, 'policy/v1': policy, 'networking.k8s.io/v1': networking, 'keda.sh/v1alpha1': keda };

describe('docker/k8s', () => {
  const render = () => {
    const r = run('kubectl', ['kustomize', 'docker/k8s']);
    expect(r.status, r.stderr).toBe(0);
    return parseAllDocuments(r.stdout).map((d) => d.toJSON() as TDoc);
  };
  const podSpec = (d: TDoc) => (d.spec as { template: { spec: TPodSpec } }).template.spec;

  it('renders the API, web and workers with Services, PDBs, an Ingress, a migration Job and autoscaling', () => {
    const docs = render();
    const names = (kind: string) => docs.filter((d) => d.kind === kind).map((d) => d.metadata.name).sort();
    expect(names('Deployment')).toEqual(['hyperzoo-api', 'hyperzoo-web', 'hyperzoo-worker-cpu', 'hyperzoo-worker-gpu']);
    expect(names('Service')).toEqual(['hyperzoo-api', 'hyperzoo-web']);
    expect(names('PodDisruptionBudget')).toEqual(names('Deployment'));
    expect(names('Job')).toEqual(['hyperzoo-migrate']);
    expect(names('Ingress')).toHaveLength(1);
    expect(names('ScaledObject')).toEqual(['hyperzoo-worker-cpu', 'hyperzoo-worker-gpu']);
  });

  // The Kubernetes OpenAPI schemas (kubernetes-models) and KEDA's CRD schemas (@kubernetes-models/keda).
  it('renders only objects that validate against their Kubernetes schemas', () => {
    const docs = render() as (TDoc & { apiVersion: string })[];
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      const Model = MODELS[d.apiVersion]?.[d.kind] as (new (o: unknown) => { validate(): void }) | undefined;
      expect(Model, `no schema for ${d.apiVersion} ${d.kind}`).toBeDefined();
      expect(() => new (Model as NonNullable<typeof Model>)(d).validate(), `${d.kind}/${d.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check refuses a broken manifest', () => {
    const deployment = render().find((d) => d.kind === 'Deployment') as TDoc;
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(() => new apps.Deployment(broken as never).validate()).toThrow(/spec\/replicas must be integer/);
    const scaled = render().find((d) => d.kind === 'ScaledObject') as TDoc;
    const badTarget = { ...scaled, spec: { ...scaled.spec, scaleTargetRef: { name: 1 } } };
    expect(() => new keda.ScaledObject(badTarget as never).validate()).toThrow(/scaleTargetRef\/name must be string/);
  });

  it('uses only the project images, passes only known variables, and references secrets without embedding any', () => {
    const docs = render();
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    for (const d of docs.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      for (const c of podSpec(d).containers) {
        const image = c.image.split(':')[0] ?? '';
        expect(IMAGES, d.metadata.name).toContain(image);
        for (const e of c.env ?? []) {
          expect(KNOWN_ENV[appOf(image)], `${d.metadata.name}: ${e.name}`).toContain(e.name);
          if (/TOKEN|DATABASE_URL|REDIS_URL|SECRET/.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${d.metadata.name}: ${e.name}`).toBeDefined();
        }
      }
    }
  });

  it('puts GPU workers on GPU nodes with a GPU each, and gives workers time for their bounded shutdown', () => {
    const docs = render();
    const deployment = (name: string) => podSpec(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name) as TDoc);
    const gpu = deployment('hyperzoo-worker-gpu');
    expect(gpu.containers[0]?.resources?.limits?.['nvidia.com/gpu']).toBe(1);
    expect(Object.keys(gpu.nodeSelector ?? {}).length).toBeGreaterThan(0);
    expect(gpu.tolerations?.map((t) => t.key)).toContain('nvidia.com/gpu');
    // docs/WORKER.md: the worker's shutdown is bounded at 45 s.
    for (const name of ['hyperzoo-worker-cpu', 'hyperzoo-worker-gpu']) expect(deployment(name).terminationGracePeriodSeconds).toBeGreaterThan(45);
  });
});
