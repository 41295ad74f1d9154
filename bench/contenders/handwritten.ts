/**
 * Contender (b): the same manifests written by hand with cdk8s-plus-27, the
 * raw `k8s` L1 classes and JSON patches for what cdk8s-plus-27 cannot express
 * (dropped capabilities, the seccomp profile, volumeClaimTemplates), the way a
 * careful engineer would write them without the library: the recommended
 * `app.kubernetes.io/*` labels on every object and Pod, and `IfNotPresent` for
 * the pinned images.
 *
 * The construct ids and the order in which objects are created are the
 * library's, because generated names and the order of the output depend on
 * them; the bench checks that the YAML is byte-identical.
 */
import { createHash } from 'crypto';
import { ApiObject, Chart, JsonPatch, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { StatefulSpec, StatelessSpec, workloadSpec } from '../mix';

const CONFIG_HASH_ANNOTATION = 'container-patterns.cdk8s.io/config-hash';
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const SIDECAR_USER = 65532;
const NGINX_USER = 101;

function resources(cpuMillis: number, memMi: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuMillis), limit: kplus.Cpu.millis(cpuMillis * 4) },
    memory: { request: Size.mebibytes(memMi), limit: Size.mebibytes(memMi * 2) },
  };
}

const SIDECAR_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};

/** The restricted container security context, keys in the order cdk8s renders them. */
function restricted(user: number): any {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: user,
    runAsNonRoot: true,
    runAsUser: user,
  };
}

/**
 * The recommended labels on every object under `scope` and on the Pods of
 * `workload`; the selectors keep the label cdk8s-plus-27 selects on.
 */
function label(scope: Construct, workload: kplus.Deployment | kplus.StatefulSet, component: string, image: string): void {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': scope.node.id,
    'app.kubernetes.io/instance': Names.toLabelValue(workload),
    'app.kubernetes.io/version': image.slice(image.lastIndexOf(':') + 1),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': Chart.of(scope).node.id,
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
  for (const [key, value] of Object.entries(labels)) {
    workload.podMetadata.addLabel(key, value);
    for (const c of scope.node.findAll()) {
      if (c instanceof ApiObject) c.metadata.addLabel(key, value);
    }
  }
}

/** cdk8s-plus-27 has no field for dropped capabilities or the Pod's seccomp profile. */
function harden(api: ApiObject, users: number[]): void {
  users.forEach((user, i) => api.addJsonPatch(JsonPatch.replace(`/spec/template/spec/containers/${i}/securityContext`, restricted(user))));
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
}

/** A short hash over the ConfigMaps a Pod mounts, so that a config change rolls the Pods. */
function configHash(configMaps: kplus.ConfigMap[]): string {
  const h = createHash('sha256');
  for (const cm of [...configMaps].sort((a, b) => a.name.localeCompare(b.name))) {
    h.update(cm.name).update('\0');
    const data = cm.data;
    for (const key of Object.keys(data).sort()) h.update(key).update('\0').update(data[key]).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function fluentBitConfig(s: StatelessSpec): string {
  return `service:
  flush: 1
  log_level: info
  http_server: off
pipeline:
  inputs:
    - name: tail
      tag: app
      path: "${s.logDir}/*.log"
      path_key: file
      db: /fluent-bit/state/tail.db
      db.locking: on
      read_from_head: on
      refresh_interval: 5
      skip_long_lines: on
      mem_buf_limit: 16MB
  filters:
    - name: record_modifier
      match: "*"
      record:
        - "pod_name \${POD_NAME}"
        - "namespace \${POD_NAMESPACE}"
        - "container app"
  outputs:
    - name: loki
      match: "*"
      host: ${s.lokiHost}
      port: ${s.lokiPort}
      line_format: json
      tls: off
`;
}

function nginxConfig(s: StatelessSpec): string {
  return `# HttpAdapter "http-adapter": port ${s.adapterPort} -> app on 127.0.0.1:${s.appPort}.
worker_processes 1;
daemon off;
pid /tmp/nginx.pid;
error_log stderr warn;

events {
  worker_connections 512;
}

http {
  access_log off;
  server_tokens off;
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;

  upstream app {
    server 127.0.0.1:${s.appPort};
    keepalive 64;
  }

  server {
    listen ${s.adapterPort};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_connect_timeout 5s;
    proxy_read_timeout 30s;
    proxy_send_timeout 30s;

    location = /health {
      proxy_pass http://app/metrics;
    }

    location / {
      return 404;
    }
  }
}
`;
}

function disruptionBudget(scope: Construct, workload: kplus.Workload): void {
  new kplus.k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: workload.matchLabels } },
  });
}

function stateless(chart: Chart, s: StatelessSpec): void {
  const scope = new Construct(chart, s.id);
  const deployment = new kplus.Deployment(scope, 'Resource', { replicas: s.replicas, automountServiceAccountToken: false });
  const app = deployment.addContainer({
    name: 'app',
    image: s.image,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ports: [{ number: s.appPort, name: 'http' }],
    securityContext: { user: 10001, group: 10001 },
    resources: resources(100, 128),
    readiness: kplus.Probe.fromTcpSocket({ port: s.appPort }),
    envVariables: { TEAM: kplus.EnvValue.fromValue(s.team) },
  });
  deployment.podMetadata.addAnnotation(DEFAULT_CONTAINER_ANNOTATION, 'app');
  deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
  const service = new kplus.Service(scope, 'Service', { selector: deployment });
  service.bind(s.appPort, { name: 'http', targetPort: s.appPort, protocol: kplus.Protocol.TCP });
  disruptionBudget(scope, deployment);

  // log collector: fluent-bit tails the app's log files from a shared volume
  const logScope = new Construct(scope, 'log-collector');
  const logs = kplus.Volume.fromEmptyDir(scope, 'Logs', 'log-collector-logs');
  const state = kplus.Volume.fromEmptyDir(scope, 'State', 'log-collector-state', { sizeLimit: Size.mebibytes(64) });
  app.mount(s.logDir, logs);
  const logConfig = new kplus.ConfigMap(logScope, 'Config', { data: { 'fluent-bit.yaml': fluentBitConfig(s) } });
  const collector = deployment.addContainer({
    name: 'log-collector',
    image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.10',
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/config/fluent-bit.yaml'],
    envVariables: {
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
    },
    resources: SIDECAR_RESOURCES,
    securityContext: { user: SIDECAR_USER, group: SIDECAR_USER },
  });
  collector.mount(s.logDir, logs, { readOnly: true });
  collector.mount('/fluent-bit/state', state);
  collector.mount('/fluent-bit/config', kplus.Volume.fromConfigMap(logScope, 'Volume', logConfig, { name: 'log-collector-config' }), { readOnly: true });

  // adapter: nginx answers /health from the app's /metrics
  const adapterScope = new Construct(scope, 'http-adapter');
  const adapterConfig = new kplus.ConfigMap(adapterScope, 'Config', { data: { 'nginx.conf': nginxConfig(s) } });
  const tmp = kplus.Volume.fromEmptyDir(scope, 'Tmp', 'http-adapter-tmp', { sizeLimit: Size.mebibytes(64) });
  const adapter = deployment.addContainer({
    name: 'http-adapter',
    image: 'nginxinc/nginx-unprivileged:1.27.2-alpine',
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['nginx'],
    args: ['-e', 'stderr', '-c', '/etc/nginx-adapter/nginx.conf'],
    ports: [{ number: s.adapterPort, name: 'http-adapter' }],
    resources: SIDECAR_RESOURCES,
    securityContext: { user: NGINX_USER, group: NGINX_USER },
  });
  adapter.mount('/tmp', tmp);
  adapter.mount('/etc/nginx-adapter', kplus.Volume.fromConfigMap(adapterScope, 'Volume', adapterConfig, { name: 'http-adapter-config' }), { readOnly: true });

  deployment.podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION, configHash([logConfig, adapterConfig]));
  harden(ApiObject.of(deployment), [10001, SIDECAR_USER, NGINX_USER]);
  label(scope, deployment, 'stateless-service', s.image);
}

function stateful(chart: Chart, s: StatefulSpec): void {
  const scope = new Construct(chart, s.id);
  const headless = new kplus.Service(scope, 'Headless', { clusterIP: 'None' });
  const set = new kplus.StatefulSet(scope, 'Resource', {
    service: headless,
    replicas: s.replicas,
    strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: 0 }),
    automountServiceAccountToken: false,
    securityContext: { fsGroup: s.user, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
  });
  const peers = [0, 1, 2].slice(0, s.replicas).map(i => `${set.name}-${i}.${headless.name}.$(POD_NAMESPACE).svc.cluster.local`);
  set.addContainer({
    name: 'app',
    image: s.image,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ports: [{ number: s.appPort, name: 'postgres' }],
    securityContext: { user: s.user, group: s.user },
    resources: resources(250, 512),
    readiness: kplus.Probe.fromTcpSocket({ port: s.appPort }),
    envVariables: {
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      PEERS: kplus.EnvValue.fromValue(peers.join(',')),
    },
  });
  set.podMetadata.addAnnotation(DEFAULT_CONTAINER_ANNOTATION, 'app');
  set.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
  headless.bind(s.appPort, { name: 'postgres', targetPort: s.appPort, protocol: kplus.Protocol.TCP });

  const api = ApiObject.of(set);
  harden(api, [s.user]);
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [{ mountPath: s.dataPath, name: 'data' }]));
  // cdk8s-plus-27 has no volumeClaimTemplates, and the 1.27 schema of the L1
  // class drops what a JSON patch adds there, so the claim templates are added
  // to the rendered object
  const render = api.toJson.bind(api);
  api.toJson = () => {
    const obj = render();
    obj.spec.volumeClaimTemplates = [{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${s.storageGi}Gi` } } },
    }];
    return obj;
  };
  disruptionBudget(scope, set);
  label(scope, set, 'stateful-service', s.image);
}

/** Adds the first `n` workloads of the mix to `chart`. */
export function build(chart: Chart, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = workloadSpec(i);
    if (s.kind === 'stateless') stateless(chart, s);
    else stateful(chart, s);
  }
}
