import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { KUBERNETES_BASE, writeKubernetesBase, type KubeObject } from '../src/cli/kubernetes';
import { SUBGRAPHS } from '../src/shared/config';
import { repoRoot } from '../src/shared/paths';
import { subgraphs } from '../src/subgraphs';

/**
 * The Kubernetes manifests (deploy/kubernetes): no cluster runs here, so every object of the
 * production overlay, rendered the way kustomize does for what the overlay uses (namespace,
 * images, replicas, JSON 6902 patches), is validated against the Kubernetes schemas
 * (kubernetes-models) and, for CloudNativePG's custom resources, against the fields its CRDs
 * require; then the deployment's invariants are checked.
 */
const PRODUCTION = join(repoRoot, 'deploy', 'kubernetes', 'production');

interface Kustomization {
  namespace?: string;
  resources: string[];
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  replicas?: Array<{ name: string; count: number }>;
  patches?: Array<{ target: { group?: string; version?: string; kind: string; name?: string }; patch: string }>;
  configMapGenerator?: Array<{ name: string }>;
  secretGenerator?: Array<{ name: string }>;
}

type Json = Record<string, any>;
const yamlObjects = (file: string): KubeObject[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject);
const kustomization = (dir: string) => parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
const CLUSTER_SCOPED = new Set(['Namespace']);

/** One JSON 6902 operation on `doc`; `replace` (all the overlay uses) needs the path to exist, as in kustomize. */
function applyOperation(doc: Json, op: { op: string; path: string; value: unknown }, where: string): void {
  if (op.op !== 'replace') throw new Error(`${where}: only "replace" is rendered here, got ${op.op}`);
  const keys = op.path
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  const parent = keys.reduce<Json | undefined>((o, k) => (o === undefined ? undefined : o[k]), doc);
  if (parent === undefined || !(last in parent)) throw new Error(`${where}: ${op.path} does not exist`);
  parent[last] = op.value;
}

/** The overlay rendered: its own resources and the base, with what kustomize would change in them. */
function renderProduction(): { objects: KubeObject[]; overlay: Kustomization } {
  const overlay = kustomization(PRODUCTION);
  const objects: KubeObject[] = [];
  for (const r of overlay.resources) {
    if (r === '../base') for (const f of kustomization(KUBERNETES_BASE).resources) objects.push(...yamlObjects(join(KUBERNETES_BASE, f)));
    else objects.push(...yamlObjects(join(PRODUCTION, r)));
  }
  for (const o of objects) if (overlay.namespace && !CLUSTER_SCOPED.has(o.kind)) (o.metadata as Json).namespace = overlay.namespace;
  for (const { name, count } of overlay.replicas ?? []) {
    const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (!d) throw new Error(`replicas: no Deployment ${name}`);
    (d.spec as Json).replicas = count;
  }
  for (const image of overlay.images ?? []) {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      // kustomize sets the image of init containers too.
      const pod = (d.spec as Json).template.spec as Json;
      for (const c of [...((pod.initContainers as Json[] | undefined) ?? []), ...(pod.containers as Json[])])
        if (c.image === image.name) c.image = `${image.newName ?? image.name}:${image.newTag ?? 'latest'}`;
    }
  }
  for (const { target, patch } of overlay.patches ?? []) {
    const targets = objects.filter(
      (o) =>
        o.kind === target.kind &&
        (!target.name || o.metadata.name === target.name) &&
        o.apiVersion === [target.group, target.version].filter(Boolean).join('/'),
    );
    if (!targets.length) throw new Error(`patch for ${JSON.stringify(target)} matches nothing`);
    for (const o of targets)
      for (const op of parse(patch) as Array<{ op: string; path: string; value: unknown }>) applyOperation(o, op, `${o.kind}/${o.metadata.name}`);
  }
  return { objects, overlay };
}

/** What CloudNativePG's CRDs require of the fields these manifests use (its full CRDs are not on npm). */
const ajv = new Ajv({ allErrors: true, strict: false });
/** A CloudNativePG resource: apiVersion, kind, a named metadata and a spec with `required` fields. */
const cnpgSchema = (required: string[], properties: Record<string, object>) =>
  ajv.compile({
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { metadata: { type: 'object', required: ['name'] }, spec: { type: 'object', required, properties } },
  });
const CNPG: Record<string, ReturnType<typeof ajv.compile>> = {
  Cluster: cnpgSchema(['instances', 'storage'], {
    instances: { type: 'integer', minimum: 1 },
    imageName: { type: 'string' },
    storage: { type: 'object', required: ['size'], properties: { size: { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$' } } },
    bootstrap: {
      type: 'object',
      properties: {
        initdb: {
          type: 'object',
          properties: { database: { type: 'string' }, owner: { type: 'string' }, postInitApplicationSQL: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
    postgresql: { type: 'object', properties: { parameters: { type: 'object', additionalProperties: { type: 'string' } } } },
  }),
  Pooler: cnpgSchema(['cluster', 'pgbouncer'], {
    cluster: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    instances: { type: 'integer', minimum: 0 },
    type: { enum: ['rw', 'ro', 'r'] },
    pgbouncer: {
      type: 'object',
      properties: { poolMode: { enum: ['session', 'transaction'] }, parameters: { type: 'object', additionalProperties: { type: 'string' } } },
    },
  }),
};

/** Validates one object against its Kubernetes schema; returns the problems (none: valid). */
async function problemsOf(o: KubeObject): Promise<string[]> {
  if (o.apiVersion === 'postgresql.cnpg.io/v1') {
    const validate = CNPG[o.kind];
    if (!validate) return [`no schema for ${o.apiVersion} ${o.kind}`];
    return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
  const group = (await import(`kubernetes-models/${o.apiVersion}`).catch(() => ({}))) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = group[o.kind];
  if (!Model) return [`no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

const { objects, overlay } = renderProduction();
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind) as Json[];
const selects = (policy: Json, podLabels: Record<string, string>) =>
  Object.entries(policy.spec.podSelector.matchLabels as Record<string, string>).every(([k, v]) => podLabels[k] === v);
const podLabelsOf = (component: string) =>
  ofKind('Deployment').find((d) => d.metadata.name === `hub-${component}`)!.spec.template.metadata.labels as Record<string, string>;
/** Every peer (`from` entry) of a policy's ingress rules on `port`. */
const peersOn = (policy: Json, port: number) =>
  (policy.spec.ingress as Json[]).filter((r) => (r.ports as Json[]).some((p) => p.port === port)).flatMap((r) => r.from as Json[]);

test('the base is what `hub kubernetes` generates from the subgraph registry', () => {
  expect(writeKubernetesBase(true)).toEqual([]);
});

test('the validator is live: it rejects a Deployment with a port that is not a number', async () => {
  const broken = structuredClone(ofKind('Deployment')[0]) as KubeObject & Json;
  broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
  expect((await problemsOf(broken)).join()).toMatch(/containerPort/);
  expect(await problemsOf({ ...ofKind('Cluster')[0], spec: { instances: 0 } } as unknown as KubeObject)).not.toEqual([]);
});

test('every object of the production overlay is valid against its schema', async () => {
  expect(objects.length).toBeGreaterThan(40);
  const problems = (await Promise.all(objects.map(async (o) => (await problemsOf(o)).map((p) => `${o.kind}/${o.metadata.name}: ${p}`)))).flat();
  expect(problems).toEqual([]);
  expect(new Set(objects.filter((o) => o.kind !== 'Namespace').map((o) => (o.metadata as Json).namespace))).toEqual(new Set(['pingan-hub']));
});

test('every Deployment: readiness on /readyz, liveness on /healthz, requests and limits, non-root, read-only root filesystem', () => {
  const deployments = ofKind('Deployment');
  expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['gateway', ...SUBGRAPHS].map((r) => `hub-${r}`).sort());
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    for (const c of pod.containers as Json[]) {
      expect({ name: d.metadata.name, ready: c.readinessProbe?.httpGet?.path, live: c.livenessProbe?.httpGet?.path }).toEqual({
        name: d.metadata.name,
        ready: '/readyz',
        live: '/healthz',
      });
      // Readiness is served on the operations port only (the public port answers it 404).
      const ops = (c.ports as Json[]).find((p) => p.name === 'ops');
      expect({
        name: d.metadata.name,
        probe: c.readinessProbe.httpGet.port,
        ops: ops?.containerPort,
        env: (c.env as Json[]).find((e) => e.name === 'OPS_PORT')?.value,
      }).toEqual({ name: d.metadata.name, probe: 'ops', ops: 4200, env: '4200' });
      for (const kind of ['requests', 'limits']) expect(Object.keys(c.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(c.image).toBe('registry.example.gov.cn/pingan-hub/hub:0.1.0');
    }
  }
});

test('every subgraph migrates in an init container before its new version serves, which then does not migrate', () => {
  for (const s of SUBGRAPHS) {
    const pod = ofKind('Deployment').find((d) => d.metadata.name === `hub-${s}`)!.spec.template.spec as Json;
    const [server] = pod.containers as Json[];
    const inits = (pod.initContainers ?? []) as Json[];
    expect({ s, inits: inits.map((c) => ({ name: c.name, args: c.args, image: c.image })) }).toEqual({
      s,
      inits: [{ name: 'migrate', args: ['migration', 'apply', s], image: server.image }],
    });
    const [migrate] = inits;
    // The same configuration as the server it prepares (the same database, audit database and modes), and the same confinement.
    const envOf = (c: Json) => new Map((c.env as Json[]).map((e) => [e.name as string, JSON.stringify(e.value ?? e.valueFrom)]));
    const serverEnv = envOf(server);
    expect(serverEnv.get('SCHEMA_MIGRATE')).toBe('"off"');
    serverEnv.delete('SCHEMA_MIGRATE');
    expect(envOf(migrate)).toEqual(serverEnv);
    expect(migrate.securityContext).toEqual(server.securityContext);
    for (const kind of ['requests', 'limits']) expect(Object.keys(migrate.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'memory']);
  }
  expect(ofKind('Deployment').find((d) => d.metadata.name === 'hub-gateway')!.spec.template.spec.initContainers).toBeUndefined();
});

test('the gateway scales with a HorizontalPodAutoscaler and keeps a PodDisruptionBudget', () => {
  expect(ofKind('HorizontalPodAutoscaler')).toEqual([
    expect.objectContaining({
      spec: expect.objectContaining({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hub-gateway' }, minReplicas: 2 }),
    }),
  ]);
  const [pdb] = ofKind('PodDisruptionBudget');
  expect(selects({ spec: { podSelector: pdb.spec.selector } }, podLabelsOf('gateway'))).toBe(true);
});

test('every department (and the audit subgraph) accepts traffic only from the gateway, and the workflow calls on the public port of those it calls', () => {
  const gateway = podLabelsOf('gateway');
  // petition: a 访调对接 referral's dispatch checks the petition there, and its effect reads the petitioner.
  const calledByWorkflow = ['grid', 'police', 'procuratorate', 'court', 'justice', 'petition'];
  const workflow = { podSelector: { matchLabels: { 'app.kubernetes.io/name': gateway['app.kubernetes.io/name'], 'app.kubernetes.io/component': 'workflow' } } };
  for (const s of SUBGRAPHS) {
    const policies = ofKind('NetworkPolicy').filter((p) => selects(p, podLabelsOf(s)));
    expect({ s, policies: policies.length }).toEqual({ s, policies: 1 });
    const peers = (policies[0].spec.ingress as Json[]).flatMap((r) => r.from as Json[]);
    expect({ s, peers }).toEqual({
      s,
      peers: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': gateway['app.kubernetes.io/name'], 'app.kubernetes.io/component': 'gateway' } } },
        ...(calledByWorkflow.includes(s) ? [workflow] : []),
      ],
    });
    if (calledByWorkflow.includes(s)) expect(peersOn(policies[0], 4200)).not.toContainEqual(workflow);
  }
});

test("the gateway's operations port (readiness, metrics) is not open to callers: only to the monitoring namespace", () => {
  const [policy] = ofKind('NetworkPolicy').filter((p) => selects(p, podLabelsOf('gateway')));
  expect(peersOn(policy, 4000)).toContainEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
  expect(peersOn(policy, 4200)).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  // The gateway probes each subgraph's /readyz on that subgraph's operations port, which only it may reach.
  const env = ofKind('Deployment').find((d) => d.metadata.name === 'hub-gateway')!.spec.template.spec.containers[0].env as Json[];
  for (const s of SUBGRAPHS) expect(env).toContainEqual({ name: `SUBGRAPH_OPS_URL_${s.toUpperCase()}`, value: `http://hub-${s}:4200` });
  for (const s of SUBGRAPHS) {
    const [own] = ofKind('NetworkPolicy').filter((p) => selects(p, podLabelsOf(s)));
    // The gateway alone on the operations port; the workflow's calls (above) reach the public port only.
    expect(peersOn(own, 4200)).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'pingan-hub', 'app.kubernetes.io/component': 'gateway' } } },
    ]);
    expect(peersOn(own, 4000)).toEqual(expect.arrayContaining(peersOn(own, 4200)));
  }
});

test("each database (CloudNativePG instances and PgBouncer pooler) accepts connections only from its own department's pods", () => {
  for (const s of SUBGRAPHS.filter((x) => !subgraphs[x].existingDatabase)) {
    const cluster = `hub-db-${s}`;
    const pooler = `hub-db-${s}-pooler`;
    expect(ofKind('Cluster').map((c) => c.metadata.name)).toContain(cluster);
    expect(ofKind('Pooler').find((p) => p.metadata.name === pooler)).toMatchObject({
      spec: { cluster: { name: cluster }, pgbouncer: { poolMode: 'session' } },
    });
    const allowed = (p: Json, what: 'instances' | 'pooler') => {
      const labels = p.podSelector?.matchLabels as Record<string, string> | undefined;
      if (!labels) return false;
      if (labels['cnpg.io/cluster'] === cluster || labels['cnpg.io/poolerName'] === pooler) return true;
      // The audit database's instances: any subgraph (each appends its trail, directly); otherwise that subgraph only.
      const subgraphs = SUBGRAPHS.filter((o) => Object.entries(labels).every(([k, v]) => podLabelsOf(o)[k] === v));
      return s === 'audit' && what === 'instances'
        ? subgraphs.length === SUBGRAPHS.length && !Object.entries(labels).every(([k, v]) => podLabelsOf('gateway')[k] === v)
        : subgraphs.length === 1 && subgraphs[0] === s;
    };
    for (const [what, labels] of [
      ['instances', { 'cnpg.io/cluster': cluster }],
      ['pooler', { 'cnpg.io/poolerName': pooler }],
    ] as const) {
      const policies = ofKind('NetworkPolicy').filter((p) => selects(p, labels));
      expect({ s, what, policies: policies.length }).toEqual({ s, what, policies: 1 });
      const peers = peersOn(policies[0], 5432);
      expect(peers.length).toBeGreaterThan(0);
      expect({ s, what, refused: peers.filter((p) => !allowed(p, what)) }).toEqual({ s, what, refused: [] });
    }
  }
});

test("a department that keeps its own system reads it where the overlay says; the hub's schema for it (its release) is in a database of the hub's", () => {
  const env = (s: string) => ofKind('Deployment').find((d) => d.metadata.name === `hub-${s}`)!.spec.template.spec.containers[0].env as Json[];
  expect(SUBGRAPHS.filter((s) => subgraphs[s].existingDatabase)).toEqual(['petition']);
  expect(env('petition').find((e) => e.name === 'DATABASE_URL_PETITION')).toEqual({
    name: 'DATABASE_URL_PETITION',
    valueFrom: { secretKeyRef: { name: 'hub-petition-system', key: 'url' } },
  });
  // Its statistics release: a cluster of its own, as every department's database.
  expect(env('petition').find((e) => e.name === 'DATABASE_URL')!.value).toMatch(/@hub-db-petition-pooler:5432\/app$/);
  expect(ofKind('Cluster').map((c) => c.metadata.name)).toContain('hub-db-petition');
  expect(ofKind('Pooler').map((c) => c.metadata.name)).toContain('hub-db-petition-pooler');
  expect(env('petition').find((e) => e.name === 'AUDIT_DATABASE_URL')!.value).toMatch(/@hub-db-audit-rw:5432\/app$/);
  expect(SUBGRAPHS.filter((s) => subgraphs[s].existingApi)).toEqual(['hotline']);
  expect(env('hotline').find((e) => e.name === 'API_URL_HOTLINE')).toEqual({
    name: 'API_URL_HOTLINE',
    valueFrom: { configMapKeyRef: { name: 'hub-hotline-api', key: 'url' } },
  });
});

test('keys are Secrets and the supergraph a ConfigMap, each made by the overlay or by CloudNativePG', () => {
  const generatedSecrets = new Set((overlay.secretGenerator ?? []).map((g) => g.name));
  const clusters = new Set(ofKind('Cluster').map((c) => `${c.metadata.name}-app`));
  const generatedConfigMaps = new Set((overlay.configMapGenerator ?? []).map((g) => g.name));
  for (const d of ofKind('Deployment')) {
    const pod = d.spec.template.spec;
    const secrets = [
      ...(pod.volumes as Json[]).flatMap((v) => (v.secret ? [v.secret.secretName] : [])),
      ...(pod.containers as Json[]).flatMap((c) => (c.env as Json[]).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []))),
    ];
    for (const name of secrets)
      expect({ d: d.metadata.name, name, made: generatedSecrets.has(name) || clusters.has(name) }).toEqual({ d: d.metadata.name, name, made: true });
    for (const v of (pod.volumes as Json[]).filter((x) => x.configMap)) expect(generatedConfigMaps.has(v.configMap.name)).toBe(true);
    for (const c of pod.containers as Json[])
      for (const e of (c.env as Json[]).filter((x) => x.valueFrom?.configMapKeyRef))
        expect({ d: d.metadata.name, name: e.valueFrom.configMapKeyRef.name, made: generatedConfigMaps.has(e.valueFrom.configMapKeyRef.name) }).toEqual({
          d: d.metadata.name,
          name: e.valueFrom.configMapKeyRef.name,
          made: true,
        });
    // No key material in plain environment values.
    for (const c of pod.containers as Json[])
      expect((c.env as Json[]).filter((e) => typeof e.value === 'string' && /BEGIN|PRIVATE KEY/.test(e.value))).toEqual([]);
  }
  expect(ofKind('Deployment').find((d) => d.metadata.name === 'hub-gateway')!.spec.template.spec.volumes).toContainEqual({
    name: 'supergraph',
    configMap: { name: 'hub-supergraph' },
  });
});
