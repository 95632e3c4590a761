import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '../shared/paths';
import { SUBGRAPHS, type SubgraphName } from '../shared/config';
import { hasHubSchema } from '../kit/migrate';
import { subgraphs } from '../subgraphs';

/**
 * The Kubernetes base of the distributed deployment (deploy/kubernetes/base), generated from the
 * one registry of subgraphs so that a new department gets its Deployment, Service, database and
 * network rules with everything else: `hub kubernetes` writes it, `hub kubernetes --check` (and the
 * test) fails when the committed files differ. The production overlay beside it is hand-written.
 */

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } } & Record<string, unknown>;

const APP = 'pingan-hub';
const PORT = 4000;
/** The operations port of every role (`OPS_PORT`): `/readyz` and `/metrics`, never on the public port. */
const OPS_PORT = 4200;
/** Where Prometheus runs: the one namespace whose pods may scrape the gateway's operations port. */
const MONITORING = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
const IMAGE = 'pingan-hub';
/** Longer than SHUTDOWN_TIMEOUT_MS (10 s), so the kubelet's SIGKILL never cuts a graceful stop short. */
const GRACE_SECONDS = 20;
/** The supergraph the gateway serves: a release artifact, made by the overlay from schema/supergraph.graphql (docs/deploy.md). */
export const SUPERGRAPH_CONFIG_MAP = 'hub-supergraph';
/** Secrets the operator creates (the production overlay generates them from files; docs/deploy.md). */
export const SECRETS = {
  internalPrivate: 'hub-internal-jwt-private',
  internalPublic: 'hub-internal-jwt-public',
  callerPublic: 'hub-caller-jwt-public',
  personKey: 'hub-person-key',
} as const;

const SUBGRAPH_LABEL = 'hub.pingan/subgraph';
const labels = (component: string) => ({ 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': component });
const selectorOf = (component: string) => ({ matchLabels: labels(component) });
const nameOf = (role: string) => `hub-${role}`;
/** The CloudNativePG cluster of a subgraph's database, and the PgBouncer pooler in front of it. */
const clusterOf = (s: SubgraphName) => `hub-db-${s}`;
const poolerOf = (s: SubgraphName) => `hub-db-${s}-pooler`;
/**
 * A department whose records stay in its own system: where that database is (a URL with a login that may
 * only read it), in a Secret the operator makes (the production overlay generates it; docs/deploy.md).
 */
export const systemSecretOf = (s: SubgraphName) => `hub-${s}-system`;
/** A department whose records stay behind its own API: where the API answers, in a ConfigMap (likewise). */
export const apiConfigMapOf = (s: SubgraphName) => `hub-${s}-api`;

const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

function deployment(
  role: string,
  env: object[],
  resources: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string },
  extra: { volumes: object[]; mounts: object[]; migrate?: boolean },
): KubeObject {
  const baseEnv = [
    { name: 'HUB_MODE', value: 'production' },
    { name: 'HUB_HOST', value: '0.0.0.0' },
    { name: 'PORT', value: String(PORT) },
    { name: 'OPS_PORT', value: String(OPS_PORT) },
    { name: 'HUB_DATA_DIR', value: '/var/lib/pingan-hub' },
    ...env,
  ];
  const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  const volumeMounts = [{ name: 'data', mountPath: '/var/lib/pingan-hub' }, { name: 'tmp', mountPath: '/tmp' }, ...extra.mounts];
  // A subgraph's migrations run in an init container, before the new version's server starts: a migration that fails
  // stops the rollout at that pod (maxUnavailable 0: the old version keeps serving), and no version ever serves on a
  // schema it does not expect. The advisory lock of `hub migration apply` serialises replicas starting at once.
  const initContainers = extra.migrate
    ? [
        {
          name: 'migrate',
          image: IMAGE,
          args: ['migration', 'apply', role],
          env: baseEnv,
          resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          securityContext,
          volumeMounts,
        },
      ]
    : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: nameOf(role), labels: labels(role) },
    spec: {
      replicas: 1,
      selector: selectorOf(role),
      // A new version serves only once ready (a subgraph's init container migrates its database first): old pods serve until then.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        // Subgraph pods carry one more label, so that the audit database can admit all of them and nothing else.
        metadata: { labels: role === 'gateway' ? labels(role) : { ...labels(role), [SUBGRAPH_LABEL]: 'true' } },
        spec: {
          serviceAccountName: APP,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: GRACE_SECONDS,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          ...(initContainers ? { initContainers } : {}),
          containers: [
            {
              name: 'hub',
              image: IMAGE,
              args: ['serve', role],
              ports: [
                { name: 'http', containerPort: PORT },
                { name: 'ops', containerPort: OPS_PORT },
              ],
              env: extra.migrate ? [...baseEnv, { name: 'SCHEMA_MIGRATE', value: 'off' }] : baseEnv,
              // Readiness on the operations port; liveness on the public one (it is the port that must keep answering).
              readinessProbe: { httpGet: { path: '/readyz', port: 'ops' }, periodSeconds: 5, timeoutSeconds: 4, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              // Demo data (SEED_DEMO) can take a while on first start; liveness waits for it.
              startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 60 },
              resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit } },
              securityContext,
              volumeMounts,
            },
          ],
          // The only writable paths: the data folder (the gateway's last good supergraph) and /tmp.
          volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, ...extra.volumes],
        },
      },
    },
  };
}

function service(role: string): KubeObject {
  const ports = [
    { name: 'http', port: PORT, targetPort: 'http' },
    { name: 'ops', port: OPS_PORT, targetPort: 'ops' },
  ];
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: nameOf(role), labels: labels(role) }, spec: { selector: labels(role), ports } };
}

const commonEnv = [
  secretEnv('PERSON_KEY_SECRET', SECRETS.personKey, 'secret'),
  { name: 'INTERNAL_JWT_PUBLIC_KEY', value: '/etc/pingan-hub/internal-public/key.pem' },
  { name: 'CALLER_JWT_PUBLIC_KEY', value: '/etc/pingan-hub/caller-public/key.pem' },
];
const keyVolume = (name: string, secret: string) => ({
  volume: { name, secret: { secretName: secret } },
  mount: { name, mountPath: `/etc/pingan-hub/${name}`, readOnly: true },
});
const publicKeys = [keyVolume('internal-public', SECRETS.internalPublic), keyVolume('caller-public', SECRETS.callerPublic)];

/** The subgraphs that call `s` themselves (a job queue's calls: the workflow's). */
const callersOf = (s: SubgraphName) => SUBGRAPHS.filter((c) => subgraphs[c].jobQueue?.calls.includes(s));
const subgraphUrlEnv = () => SUBGRAPHS.map((s) => ({ name: `SUBGRAPH_URL_${s.toUpperCase()}`, value: `http://${nameOf(s)}:${PORT}/graphql` }));

function subgraph(s: SubgraphName): KubeObject[] {
  const def = subgraphs[s];
  // CloudNativePG writes the application login into `<cluster>-app` (username, password); the department
  // reaches its database through the PgBouncer pooler, the audit trail directly (its writer role is set at connect, which a pooler drops).
  // A department that keeps its own system reads it where the operator's Secret says, and has no cluster here — unless the
  // hub keeps a schema for it (its statistics release): then its cluster is DATABASE_URL and its system DATABASE_URL_<NAME>.
  const ownsHubDatabase = !def.existingDatabase || hasHubSchema(def);
  const own = [
    ...(ownsHubDatabase
      ? [
          secretEnv('DB_USER', `${clusterOf(s)}-app`, 'username'),
          secretEnv('DB_PASSWORD', `${clusterOf(s)}-app`, 'password'),
          { name: 'DATABASE_URL', value: `postgresql://$(DB_USER):$(DB_PASSWORD)@${poolerOf(s)}:5432/app` },
        ]
      : []),
    ...(def.existingDatabase ? [secretEnv(ownsHubDatabase ? `DATABASE_URL_${s.toUpperCase()}` : 'DATABASE_URL', systemSecretOf(s), 'url')] : []),
  ];
  const env = [
    ...commonEnv,
    ...own,
    secretEnv('AUDIT_DB_USER', `${clusterOf('audit')}-app`, 'username'),
    secretEnv('AUDIT_DB_PASSWORD', `${clusterOf('audit')}-app`, 'password'),
    { name: 'AUDIT_DATABASE_URL', value: `postgresql://$(AUDIT_DB_USER):$(AUDIT_DB_PASSWORD)@${clusterOf('audit')}-rw:5432/app` },
    ...(def.existingApi ? [{ name: `API_URL_${s.toUpperCase()}`, valueFrom: { configMapKeyRef: { name: apiConfigMapOf(s), key: 'url' } } }] : []),
  ];
  // A subgraph with a job queue (the workflow's effects) calls departments as the gateway does: it signs internal tokens.
  const keys = def.jobQueue ? [...publicKeys, keyVolume('internal-private', SECRETS.internalPrivate)] : publicKeys;
  if (def.jobQueue) env.push({ name: 'INTERNAL_JWT_PRIVATE_KEY', value: '/etc/pingan-hub/internal-private/key.pem' }, ...subgraphUrlEnv());
  const deploymentOf = deployment(
    s,
    env,
    { cpu: '100m', memory: '192Mi', cpuLimit: '1', memoryLimit: '512Mi' },
    { volumes: keys.map((k) => k.volume), mounts: keys.map((k) => k.mount), migrate: true },
  );
  // A department (and the audit subgraph) accepts traffic only from the gateway (its calls, and its probes of /readyz),
  // and the calls of the subgraphs that deliver effects (the workflow's job queue, its dispatch's record check).
  const fromGateway = networkPolicy(
    `${nameOf(s)}-from-gateway`,
    labels(s),
    [{ podSelector: { matchLabels: labels('gateway') } }],
    [PORT, OPS_PORT],
    ...(callersOf(s).length
      ? [{ from: callersOf(s).map((c) => ({ podSelector: { matchLabels: labels(c) } })), ports: [{ protocol: 'TCP', port: PORT }] }]
      : []),
  );
  if (!ownsHubDatabase) return [deploymentOf, service(s), fromGateway];
  return [
    deploymentOf,
    service(s),
    database(s),
    pooler(s),
    fromGateway,
    // Its database (instances and pooler) accepts only its own subgraph — and every subgraph for the audit database.
    networkPolicy(
      `${clusterOf(s)}-from-${s}`,
      { 'cnpg.io/cluster': clusterOf(s) },
      [{ podSelector: { matchLabels: s === 'audit' ? { 'app.kubernetes.io/name': APP, [SUBGRAPH_LABEL]: 'true' } : labels(s) } }, ...databaseItself(s)],
      5432,
      OPERATOR,
    ),
    networkPolicy(`${poolerOf(s)}-from-${s}`, { 'cnpg.io/poolerName': poolerOf(s) }, [{ podSelector: { matchLabels: labels(s) } }], 5432, OPERATOR),
  ];
}

/** The CloudNativePG operator's namespace: it reaches each instance's and pooler's status port (8000). */
const OPERATOR = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }], ports: [{ protocol: 'TCP', port: 8000 }] };
/** A cluster's own instances (replication) and its pooler reach its PostgreSQL port. */
const databaseItself = (s: SubgraphName) => [
  { podSelector: { matchLabels: { 'cnpg.io/cluster': clusterOf(s) } } },
  { podSelector: { matchLabels: { 'cnpg.io/poolerName': poolerOf(s) } } },
];

function networkPolicy(name: string, podLabels: Record<string, string>, from: object[], port: number | number[], ...more: object[]): KubeObject {
  const ports = (Array.isArray(port) ? port : [port]).map((p) => ({ protocol: 'TCP', port: p }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: { 'app.kubernetes.io/name': APP } },
    spec: { podSelector: { matchLabels: podLabels }, policyTypes: ['Ingress'], ingress: [{ from, ports }, ...more] },
  };
}

/** One CloudNativePG cluster per subgraph: a department's database fails, scales and is fenced on its own. */
function database(s: SubgraphName): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: clusterOf(s), labels: labels(`${s}-database`) },
    spec: {
      instances: 1,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
      bootstrap: {
        initdb: {
          database: 'app',
          owner: 'app',
          // The audit migration grants to this role but cannot create it: the application login has no CREATEROLE.
          ...(s === 'audit' ? { postInitApplicationSQL: ['create role pingan_audit_writer nologin', 'grant pingan_audit_writer to app'] } : {}),
        },
      },
      // The pooler drops a client's statement_timeout (a startup parameter): the server's default bounds every statement instead.
      postgresql: { parameters: { max_connections: '100', statement_timeout: '10s' } },
      storage: { size: '5Gi' },
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    },
  };
}

/**
 * PgBouncer in session mode: the hub keeps session state on a connection (the migration's
 * advisory lock, the audit writer's role) and its statements are unnamed, so transaction pooling
 * would break the first and buy nothing for the second.
 */
function pooler(s: SubgraphName): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Pooler',
    metadata: { name: poolerOf(s), labels: labels(`${s}-database`) },
    spec: {
      cluster: { name: clusterOf(s) },
      instances: 1,
      type: 'rw',
      pgbouncer: {
        poolMode: 'session',
        parameters: { default_pool_size: '40', max_client_conn: '400', ignore_startup_parameters: 'statement_timeout' },
      },
    },
  };
}

function gateway(): KubeObject[] {
  const privateKey = keyVolume('internal-private', SECRETS.internalPrivate);
  const supergraph = {
    volume: { name: 'supergraph', configMap: { name: SUPERGRAPH_CONFIG_MAP } },
    mount: { name: 'supergraph', mountPath: '/etc/pingan-hub/supergraph', readOnly: true },
  };
  const env = [
    ...commonEnv,
    { name: 'INTERNAL_JWT_PRIVATE_KEY', value: '/etc/pingan-hub/internal-private/key.pem' },
    // A ConfigMap update swaps the mounted file atomically; the watch picks it up (docs/deploy.md).
    { name: 'SUPERGRAPH_FILE', value: '/etc/pingan-hub/supergraph/supergraph.graphql' },
    { name: 'SUPERGRAPH_WATCH_MS', value: '5000' },
    ...subgraphUrlEnv(),
    ...SUBGRAPHS.map((s) => ({ name: `SUBGRAPH_OPS_URL_${s.toUpperCase()}`, value: `http://${nameOf(s)}:${OPS_PORT}` })),
  ];
  const mounts = [privateKey, ...publicKeys, supergraph];
  return [
    deployment(
      'gateway',
      env,
      { cpu: '250m', memory: '256Mi', cpuLimit: '2', memoryLimit: '768Mi' },
      { volumes: mounts.map((m) => m.volume), mounts: mounts.map((m) => m.mount) },
    ),
    service('gateway'),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: nameOf('gateway'), labels: labels('gateway') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf('gateway') },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: nameOf('gateway'), labels: labels('gateway') },
      spec: { minAvailable: 1, selector: selectorOf('gateway') },
    },
    // Callers reach the gateway from anywhere the cluster's ingress lets them; it is the only entry. Its operations port: Prometheus only.
    networkPolicy(`${nameOf('gateway')}-ingress`, labels('gateway'), [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], PORT, {
      from: [MONITORING],
      ports: [{ protocol: 'TCP', port: OPS_PORT }],
    }),
  ];
}

/** Every object of the base, in a stable order (one file per role, plus the shared ones). */
export function kubernetesBase(): Record<string, KubeObject[]> {
  const files: Record<string, KubeObject[]> = {
    'service-account.yaml': [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: APP, labels: { 'app.kubernetes.io/name': APP } }, automountServiceAccountToken: false },
    ],
    'gateway.yaml': gateway(),
  };
  for (const s of SUBGRAPHS) files[`${s}.yaml`] = subgraph(s);
  return files;
}

export const KUBERNETES_BASE = join(repoRoot, 'deploy', 'kubernetes', 'base');

/** The base's files as text: the objects of each, and the kustomization listing them. */
export function kubernetesBaseFiles(): Record<string, string> {
  const header = '# Generated by `hub kubernetes` from the subgraph registry (src/cli/kubernetes.ts); do not edit.\n';
  const out: Record<string, string> = {};
  const objects = kubernetesBase();
  // The init container shares its env and mounts with the server: written out in full, anchors read poorly in a review.
  for (const [file, list] of Object.entries(objects))
    out[file] = header + list.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' })).join('---\n');
  out['kustomization.yaml'] =
    header + stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: Object.keys(objects) }, { lineWidth: 0 });
  return out;
}

/** Writes the base (or with `check`, only compares); returns the files that differ(ed). */
export function writeKubernetesBase(check: boolean): string[] {
  const files = kubernetesBaseFiles();
  const changed = Object.keys(files).filter((f) => !existsSync(join(KUBERNETES_BASE, f)) || readFileSync(join(KUBERNETES_BASE, f), 'utf8') !== files[f]);
  if (!check) {
    mkdirSync(KUBERNETES_BASE, { recursive: true });
    for (const f of changed) writeFileSync(join(KUBERNETES_BASE, f), files[f]);
  }
  return changed;
}
