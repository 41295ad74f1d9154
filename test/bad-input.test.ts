/**
 * The bad-input catalogue: every row is an invalid input to one of the
 * library's constructs, and the exact error it must produce. Bad input fails
 * early and loudly; it never becomes YAML.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Cron, Duration, Size, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Ambassador, ArtifactInit, BatchTask, BatchTaskProps, ConfigReloader, DisruptionBudget, Endpoint, EnvConfig, ExporterAdapter, ExternalService,
  HttpAdapter, InitStep, KubernetesVersion, LogCollector, LogDestination, MountedConfig, NodeAgent, ReloadAction, ScheduledTask,
  SecretRef, SidecarMode, StatefulService, StatefulServiceProps, StatelessService, StatelessServiceProps, WaitFor,
} from '../src';
import { errorOf, newChart, synth } from './util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', ports: [{ number: 8080, name: 'http' }] };
const TASK: kplus.ContainerProps = { image: 'busybox:1.36.1' };
const AGENT: kplus.ContainerProps = { image: 'fluent/fluent-bit:3.1.9' };
const STORAGE = [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/data' }];

/** The message of a failed synth, as `cdk8s synth` prints it (see test/util.ts). */
const atSynth = (...lines: string[]) => `Validation failed with the following errors:\n${lines.map(l => `  ${l}`).join('\n')}`;

const DNS_LABEL = (what: string, value: string) => `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and `
  + `ending with an alphanumeric, at most 63 characters (got ${JSON.stringify(value)}, ${value.length} characters). `
  + 'Fix: use a name like "log-collector".';
const ABSOLUTE = (what: string, value: string) => `${what} must be an absolute path without '..' segments (got ${JSON.stringify(value)}). `
  + 'Fix: use a path like "/var/log/app".';
const PORT_RANGE = (what: string, value: number) => `${what} must be an integer between 1 and 65535 (got ${value}).`;
const ENV_NAME = (what: string, value: string) => `${what} must be a valid environment variable name: letters, digits, '_', '-' or '.', `
  + `not starting with a digit (got ${JSON.stringify(value)}). Fix: use a name like "REDIS_ADDR".`;

/** A workload in a fresh chart, synthesized; fails at construction or at synth. */
function web(props: Partial<StatelessServiceProps> = {}): () => unknown {
  return () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, ...props });
    return synth(chart);
  };
}

function db(props: Partial<StatefulServiceProps> = {}): () => unknown {
  return () => {
    const chart = newChart();
    new StatefulService(chart, 'db', { container: APP, volumeClaimTemplates: STORAGE, ...props });
    return synth(chart);
  };
}

function task(props: Partial<BatchTaskProps> = {}): () => unknown {
  return () => {
    const chart = newChart();
    new BatchTask(chart, 'task', { container: TASK, ...props });
    return synth(chart);
  };
}

function inChart(fn: (chart: Chart) => unknown): () => unknown {
  return () => fn(newChart());
}

const stdout = () => LogDestination.stdout();
const redis = () => [Endpoint.of('redis-0.redis.data.svc.cluster.local', 6379)];

type Row = [string, () => unknown, string];

const CATALOGUE: { [area: string]: Row[] } = {
  'DNS-1123 names and the 63-character limit': [
    ['main container name with upper case and "_"', web({ container: { ...APP, name: 'App_1' } }),
      `[test/web] ${DNS_LABEL('container.name', 'App_1')}`],
    ['main container name of 64 characters', web({ container: { ...APP, name: 'a'.repeat(64) } }),
      `[test/web] ${DNS_LABEL('container.name', 'a'.repeat(64))}`],
    ['pattern name with a space', web({ patterns: [{ name: 'Bad Name', attach: () => undefined }] }),
      `[test/web] ${DNS_LABEL('pattern name', 'Bad Name')}`],
    ['InitStep name with upper case', () => new InitStep({ name: 'Migrate', image: 'busybox:1.36.1' }),
      `[InitStep "Migrate"] ${DNS_LABEL('name', 'Migrate')}`],
    ['LogCollector name too long for its volume names', () => new LogCollector({ name: 'l'.repeat(57), logDir: '/var/log/app', destination: stdout() }),
      `[LogCollector "${'l'.repeat(57)}"] name must have at most 56 characters, as it names the volume "${'l'.repeat(57)}-config" `
      + `(got "${'l'.repeat(57)}", 57 characters). Fix: use a shorter name.`],
    ['volume claim template name with upper case', db({ volumeClaimTemplates: [{ ...STORAGE[0], name: 'Data' }] }),
      `[test/db] ${DNS_LABEL('volumeClaimTemplates name', 'Data')}`],
    ['namespace with upper case', web({ namespace: 'Prod' }),
      `[test/web] ${DNS_LABEL('namespace', 'Prod')}`],
    ['ConfigMap name with "_"', inChart(c => new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }], configMapName: 'Web_Config' })),
      '[test/files] configMapName must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
      + '(got "Web_Config"). Fix: use a name like "web-config".'],
    ['Secret name with "_"', inChart(c => SecretRef.fromName(c, 'my_secret')),
      '[test] Secret name must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
      + '(got "my_secret"). Fix: give the name of the existing Secret, e.g. "orders-db-credentials".'],
    ['StatefulSet name derived from long construct ids', () => {
      const chart = new Chart(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bad-')) }), 'a'.repeat(40));
      return new StatefulService(chart, 'b'.repeat(30), { container: APP, ephemeral: true });
    }, `[${'a'.repeat(40)}/${'b'.repeat(30)}] the StatefulSet name "aaaaaaaaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-c81b38d7" has 54 `
      + 'characters; Kubernetes derives the controller-revision-hash label of every member from it, which fails above 52 characters, '
      + 'so no member would start. Fix: shorten the chart name or the construct ids on the path to this StatefulService.'],
    ['ExternalService serviceName starting with a digit', inChart(c => ExternalService.fromHostname(c, 'ext', {
      hostname: 'db.example.com', ports: [{ name: 'postgres', port: 5432 }], serviceName: '1db',
    })), '[test/ext] serviceName must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and ending with '
      + 'a letter or digit, at most 63 characters (got "1db"). Fix: use a name like "orders-db".'],
  ],

  'ports outside 1-65535 and bad port names': [
    ['main container port 0', web({ container: { ...APP, ports: [{ number: 0 }] } }),
      `[test/web] ${PORT_RANGE('container port', 0)}`],
    ['main container port 70000', web({ container: { ...APP, ports: [{ number: 70000, name: 'http' }] } }),
      `[test/web] ${PORT_RANGE('container port', 70000)}`],
    ['Service port 0', web({ service: { port: 0 } }),
      `[test/web] ${PORT_RANGE('service.port', 0)}`],
    ['Ambassador listenPort 65536', () => new Ambassador({ listenPort: 65536, upstreams: redis() }),
      'Ambassador "ambassador": listenPort must be an integer between 1 and 65535 (got 65536). '
      + 'Fix: use the port the app expects its dependency on, e.g. 6379 for Redis.'],
    ['HttpAdapter port -1', () => new HttpAdapter({ port: -1, routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
      `HttpAdapter "http-adapter": ${PORT_RANGE('port', -1)}`],
    ['ExporterAdapter port 1.5', () => new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: 1.5 }),
      `ExporterAdapter "exporter": ${PORT_RANGE('port', 1.5)}`],
    ['Endpoint port 0', () => Endpoint.of('db', 0),
      'Endpoint.of: port must be an integer between 1 and 65535 (got 0).'],
    ['reload URL port 0', () => ReloadAction.httpPost(0, '/-/reload'),
      `[ReloadAction.httpPost] ${PORT_RANGE('port', 0)}`],
    ['port name of 18 characters', web({ container: { ...APP, ports: [{ number: 8080, name: 'metrics-endpoint-1' }] } }),
      '[test/web] container port name must be an IANA service name: at most 15 lowercase letters, digits and single \'-\', with at '
      + 'least one letter (got "metrics-endpoint-1"). Fix: use a name like "http" or "metrics".'],
  ],

  'duplicate names and collisions': [
    ['two patterns with one name', web({
      patterns: [new InitStep({ name: 'migrate', image: 'busybox:1.36.1' }), new InitStep({ name: 'migrate', image: 'busybox:1.36.1' })],
    }), '[test/web] a pattern named "migrate" is already attached to this workload. '
      + 'Fix: give the second pattern a distinct name (the name prop of the pattern).'],
    ['an init step named like the main container', web({ patterns: [new InitStep({ name: 'app', image: 'busybox:1.36.1' })] }),
      atSynth('[test/web] container name "app" is used 2 times (init step, app container); container names must be unique across '
        + 'the init containers and containers of a Pod. Fix: give each container (or pattern) a distinct name.')],
    ['an adapter on the app\'s port', web({ patterns: [new HttpAdapter({ port: 8080, routes: [{ path: '/health', upstreamPath: '/metrics' }] })] }),
      '[test/web/http-adapter] HttpAdapter "http-adapter": port 8080 is already a port of the app container "app" ("http"); the containers of a Pod share '
      + 'one network namespace, so only one of them can listen on it. Fix: give the adapter its own port.'],
    ['two volume claim templates with one name', db({ volumeClaimTemplates: [STORAGE[0], { ...STORAGE[0], mountPath: '/var/lib/more' }] }),
      '[test/db] volumeClaimTemplates name "data" is used twice. Fix: give every volume claim template its own name.'],
    ['an init step env var given twice', () => new InitStep({
      name: 'migrate',
      image: 'busybox:1.36.1',
      env: [{ name: 'MODE', value: kplus.EnvValue.fromValue('a') }, { name: 'MODE', value: kplus.EnvValue.fromValue('b') }],
    }), '[InitStep "migrate"] env var MODE is given twice; the second would silently replace the first. Fix: set each variable once.'],
    ['a setting listed twice', inChart(c => new EnvConfig(c, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'LOG_LEVEL', value: 'debug' }] })),
      '[test/env] variables lists LOG_LEVEL more than once. Fix: set each variable once.'],
    ['two connections under one env prefix', inChart(c => {
      const w = new StatelessService(c, 'web', { container: APP });
      w.connect(Endpoint.of('db', 5432), { envPrefix: 'DB' });
      w.connect(Endpoint.of('db2', 5432), { envPrefix: 'DB' });
    }), '[test/web] connect: envPrefix "DB" is already used by a connection to db:5432; connecting db2:5432 under the same prefix '
      + 'would overwrite DB_HOST. Fix: use a distinct envPrefix per endpoint.'],
    ['an adapter route listed twice', () => new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/health', upstreamPath: '/ready' }] }),
      'HttpAdapter "http-adapter": route path "/health" is listed twice; each path can be answered from only one upstream path. '
      + 'Fix: keep one route per path.'],
    ['two host paths with one volume name', inChart(c => new NodeAgent(c, 'agent', {
      container: AGENT, allowHostPaths: true, hostPaths: [{ path: '/var/log', mountPath: '/a' }, { path: '/var/log/', mountPath: '/b' }],
    })), '[test/agent] two hostPaths share the volume name "host-var-log" (the second is "/var/log/"). Fix: give one of them a distinct name.'],
    ['an upstream listed twice', () => new Ambassador({ listenPort: 6379, upstreams: [...redis(), ...redis()] }),
      'Ambassador "ambassador": upstream redis-0.redis.data.svc.cluster.local:6379 is listed twice. Fix: list each endpoint once.'],
    ['two external ports with one name', inChart(c => ExternalService.fromHostname(c, 'ext', {
      hostname: 'db.example.com', ports: [{ name: 'pg', port: 5432 }, { name: 'pg', port: 5433 }],
    })), '[test/ext] ports has two ports named "pg" (5432 and 5433); port names must be unique within a Service. Fix: give each port its own name.'],
  ],

  'negative or zero sizes, counts and replicas': [
    ['replicas -1', web({ replicas: -1 }),
      '[test/web] replicas must be an integer >= 0 (got -1). Fix: use 0 to scale to zero, or the number of replicas.'],
    ['replicas 1.5 of a stateful service', db({ replicas: 1.5 }),
      '[test/db] replicas must be an integer >= 0 (got 1.5). Fix: use the number of members (0 stops them all and keeps their claims).'],
    ['a volume claim of size 0', db({ volumeClaimTemplates: [{ ...STORAGE[0], size: Size.gibibytes(0) }] }),
      '[test/db] volumeClaimTemplates "data" size must be > 0 (got "0Gi"). Fix: use e.g. Size.gibibytes(10).'],
    ['a negative size', () => Size.mebibytes(-1),
      'Storage amounts cannot be negative. Received: -1'],
    ['completions 0', task({ completions: 0 }),
      '[test/task] completions must be an integer >= 1 (got 0).'],
    ['parallelism above completions', task({ completions: 2, parallelism: 3 }),
      '[test/task] parallelism (3) is above completions (2); Kubernetes would never run more than 2 Pods at once. '
      + 'Fix: lower parallelism or raise completions.'],
    ['backoffLimit -1', task({ backoffLimit: -1 }),
      '[test/task] backoffLimit must be an integer >= 0 (got -1).'],
    ['maxConnections 0', () => new Ambassador({ listenPort: 6379, upstreams: redis(), maxConnections: 0 }),
      'Ambassador "ambassador": maxConnections must be an integer >= 1 (got 0).'],
    ['a WaitFor with no endpoints', () => new WaitFor({ endpoints: [] }),
      '[WaitFor "wait-for"] endpoints must list at least one endpoint to wait for (got []). '
      + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.'],
    ['a reload interval of half a second', inChart(c => new ConfigReloader({
      config: new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }] }),
      action: ReloadAction.httpPost(8080, '/-/reload'),
      interval: Duration.millis(500),
    })), '[ConfigReloader "config-reloader"] interval must be a whole number of seconds >= 1 (got 0.5 seconds). '
      + 'Fix: e.g. interval: Duration.seconds(10).'],
  ],

  'autoscaler and disruption budget contradictions': [
    ['replicas and autoscaling both', web({ replicas: 3, autoscaling: { maxReplicas: 5 } }),
      '[test/web] replicas (3) and autoscaling were both given; with an autoscaler the HPA owns the replica count, and a fixed '
      + 'replicas would fight it on every apply. Fix: drop replicas and set autoscaling.minReplicas.'],
    ['maxReplicas below minReplicas', web({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }),
      '[test/web] autoscaling.maxReplicas (3) must be an integer >= minReplicas (5). Fix: raise maxReplicas or lower minReplicas.'],
    ['autoscaling to zero', web({ autoscaling: { minReplicas: 0, maxReplicas: 5 } }),
      '[test/web] autoscaling.minReplicas must be an integer >= 1 (got 0). Fix: use 1 or more; an HPA cannot scale to zero.'],
    ['a CPU target of 0%', web({ autoscaling: { maxReplicas: 3, cpuTargetUtilization: 0 } }),
      '[test/web] autoscaling.cpuTargetUtilization must be a percentage between 1 and 100 (got 0).'],
    ['minAvailable equal to replicas', web({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      '[test/web] disruptionBudget minAvailable 2 is >= the replica count 2, which would block every voluntary eviction (node drains '
      + 'and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.'],
    ['minAvailable equal to the autoscaler minimum', web({ autoscaling: { maxReplicas: 4 }, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      '[test/web] disruptionBudget minAvailable 2 is >= the minimum replica count 2, which would block every voluntary eviction '
      + '(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.'],
    ['maxUnavailable 0', web({ disruptionBudget: DisruptionBudget.maxUnavailable(0) }),
      '[test/web] disruptionBudget maxUnavailable must be an integer >= 1 (got 0); 0 would block every voluntary eviction. '
      + 'Fix: use DisruptionBudget.maxUnavailable(1).'],
    ['minAvailable -1', web({ disruptionBudget: DisruptionBudget.minAvailable(-1) }),
      '[test/web] disruptionBudget minAvailable must be an integer >= 0 (got -1).'],
    ['a stateful budget letting two members go', db({ replicas: 3, disruptionBudget: DisruptionBudget.maxUnavailable(2) }),
      '[test/db] disruptionBudget maxUnavailable 2 would let voluntary disruptions take 2 members down at once, but a StatefulService '
      + 'never loses more than one member at a time (quorum, replication). Fix: use DisruptionBudget.maxUnavailable(1), or '
      + 'DisruptionBudget.none() to manage disruptions yourself.'],
    ['a stateful budget letting every member go', db({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(0) }),
      '[test/db] disruptionBudget minAvailable 0 would let voluntary disruptions take 3 of 3 members down at once, but a '
      + 'StatefulService never loses more than one member at a time (quorum, replication). Fix: use '
      + 'DisruptionBudget.maxUnavailable(1) (or minAvailable(2)).'],
  ],

  'relative paths': [
    ['an artifact target path', () => new ArtifactInit({ artifactImage: 'example/app-war:1.4.2', sourcePath: '/artifacts/app.war', targetPath: 'webapps' }),
      `[ArtifactInit "artifact-init"] ${ABSOLUTE('targetPath', 'webapps')}`],
    ['a log directory', () => new LogCollector({ logDir: 'logs', destination: stdout() }),
      `[LogCollector "log-collector"] ${ABSOLUTE('logDir', 'logs')}`],
    ['a volume claim mount path', db({ volumeClaimTemplates: [{ ...STORAGE[0], mountPath: 'data' }] }),
      `[test/db] ${ABSOLUTE('volumeClaimTemplates "data" mountPath', 'data')}`],
    ['a mounted config directory', inChart(c => new MountedConfig(c, 'files', { mountPath: 'etc/app', files: [{ key: 'a.yaml', content: '' }] })),
      `[test/files] ${ABSOLUTE('mountPath', 'etc/app')}`],
    ['a node path', inChart(c => new NodeAgent(c, 'agent', { container: AGENT, allowHostPaths: true, hostPaths: [{ path: 'var/log', mountPath: '/var/log' }] })),
      `[test/agent] ${ABSOLUTE('hostPaths path', 'var/log')}`],
    ['a working directory climbing out with ".."', () => new InitStep({ name: 'migrate', image: 'busybox:1.36.1', workingDir: '/srv/../etc' }),
      `[InitStep "migrate"] ${ABSOLUTE('workingDir', '/srv/../etc')}`],
  ],

  'sidecar modes': [
    ['NATIVE sidecars on Kubernetes 1.28', web({ sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_28 }),
      '[test/web] sidecarMode NATIVE needs Kubernetes >= 1.29 (got kubernetesVersion 1.28). Native sidecars are init containers with '
      + 'restartPolicy: Always, which older API servers reject or silently drop. '
      + 'Fix: if your clusters run 1.29 or later, set kubernetesVersion: KubernetesVersion.V1_29 on the workload, or for every '
      + 'workload call app.node.setContext("cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in '
      + 'main.ts (cdk8s.yaml does not reach the app); else use SidecarMode.CLASSIC.'],
    ['NATIVE sidecars on the default version (1.27)', task({ sidecarMode: SidecarMode.NATIVE }),
      '[test/task] sidecarMode NATIVE needs Kubernetes >= 1.29 (got kubernetesVersion 1.27). Native sidecars are init containers with '
      + 'restartPolicy: Always, which older API servers reject or silently drop. '
      + 'Fix: if your clusters run 1.29 or later, set kubernetesVersion: KubernetesVersion.V1_29 on the workload, or for every '
      + 'workload call app.node.setContext("cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in '
      + 'main.ts (cdk8s.yaml does not reach the app); else use SidecarMode.CLASSIC.'],
    ['a CLASSIC log collector in a Job', task({ patterns: [new LogCollector({ logDir: '/var/log/app', destination: stdout() })] }),
      '[test/task/log-collector] sidecar "log-collector" cannot run in a Job with sidecarMode CLASSIC: a classic sidecar never exits, '
      + 'so the Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
      + 'kubernetesVersion >= 1.29, or drop the sidecar.'],
    ['a CLASSIC ambassador in a CronJob', inChart(c => new ScheduledTask(c, 'task', {
      container: TASK, schedule: Cron.daily(), patterns: [new Ambassador({ listenPort: 6379, upstreams: redis() })],
    })), '[test/task/ambassador] sidecar "ambassador" cannot run in a CronJob with sidecarMode CLASSIC: a classic sidecar never exits, '
      + 'so the Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
      + 'kubernetesVersion >= 1.29, or drop the sidecar.'],
    ['a Kubernetes version that is not 1.N', () => KubernetesVersion.of('2.0'),
      'KubernetesVersion.of: expected a version like "1.29" (got "2.0").'],
  ],

  'images with no tag or "latest"': [
    ['main image without a tag (registry with a port)', web({ container: { ...APP, image: 'registry.local:5000/nginx' } }),
      '[test/web] container.image "registry.local:5000/nginx" has no tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "registry.local:5000/nginx:1.2.3", or a digest.'],
    ['main image "latest"', web({ container: { ...APP, image: 'nginx:latest' } }),
      '[test/web] container.image "nginx:latest" uses the "latest" tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "nginx:1.2.3", or a digest.'],
    ['init step image without a tag', () => new InitStep({ name: 'migrate', image: 'busybox' }),
      '[InitStep "migrate"] image "busybox" has no tag, so every pull may fetch a different image. Fix: pin a version, e.g. '
      + '"busybox:1.2.3", or a digest.'],
    ['log collector image "latest"', () => new LogCollector({ logDir: '/var/log/app', destination: stdout(), image: 'fluent/fluent-bit:latest' }),
      '[LogCollector "log-collector"] image "fluent/fluent-bit:latest" uses the "latest" tag, so every pull may fetch a different '
      + 'image. Fix: pin a version, e.g. "fluent/fluent-bit:1.2.3", or a digest.'],
    ['ambassador image without a tag', web({ patterns: [new Ambassador({ listenPort: 6379, upstreams: redis(), image: 'haproxy' })] }),
      '[test/web/ambassador] sidecar "ambassador" image "haproxy" has no tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "haproxy:1.2.3", or a digest.'],
    ['exporter image "latest"', web({ patterns: [new ExporterAdapter({ image: 'oliver006/redis_exporter:latest', port: 9121 })] }),
      '[test/web/exporter] sidecar "exporter" image "oliver006/redis_exporter:latest" uses the "latest" tag, so every pull may fetch '
      + 'a different image. Fix: pin a version, e.g. "oliver006/redis_exporter:1.2.3", or a digest.'],
  ],

  'environment variable names': [
    ['an init step env var starting with a digit', () => new InitStep({ name: 'migrate', image: 'busybox:1.36.1', env: [{ name: '1BAD', value: kplus.EnvValue.fromValue('x') }] }),
      `[InitStep "migrate"] ${ENV_NAME('env var name', '1BAD')}`],
    ['a setting with a space', inChart(c => new EnvConfig(c, 'env', { variables: [{ name: 'MY VAR', value: '1' }] })),
      `[test/env] ${ENV_NAME('variables[0].name', 'MY VAR')}`],
    ['a lower-case connect prefix', inChart(c => new StatelessService(c, 'web', { container: APP }).connect(Endpoint.of('db', 5432), { envPrefix: 'db' })),
      '[test/web] connect: envPrefix must be an upper-case env var name like "DB" (got "db"). Fix: use letters, digits and "_", not '
      + 'starting with a digit.'],
    ['an ambassador env var with a space', web({ patterns: [new Ambassador({ listenPort: 6379, upstreams: redis(), envVar: 'redis addr' })] }),
      `[test/web/ambassador] ${ENV_NAME('env var name', 'redis addr')}`],
  ],

  'secrets are referenced, never inlined': [
    ['a secret-looking setting in an EnvConfig', inChart(c => new EnvConfig(c, 'env', { variables: [{ name: 'DB_PASSWORD', value: 'hunter2' }] })),
      '[test/env] variable DB_PASSWORD looks like a secret, but an EnvConfig is a ConfigMap, readable by anyone who can read the app\'s '
      + 'manifests. Fix: keep the value in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", '
      + '"db_password").envValue()).'],
    ['a plain-string password for Elasticsearch', () => LogDestination.elasticsearch({
      endpoint: Endpoint.of('es.example.com', 9200), index: 'app-logs', user: 'shipper', password: 'hunter2' as any,
    }), '[LogDestination.elasticsearch] password must be a SecretKeyRef to a key of an existing Secret (got a plain string); '
      + 'secrets are never written into manifests. Fix: pass SecretKeyRef.of(this, "my-secret", "password").'],
  ],

  'resource requests above limits': [
    ['main container requesting more CPU than its limit', web({ container: { ...APP, resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(1) } } } }),
      atSynth('[test/web] app container "app" requests 2 CPU, more than its CPU limit of 1; Kubernetes rejects a request above its '
        + 'limit. Fix: lower the CPU request to at most 1, or raise the CPU limit.')],
    ['log collector requesting more memory than its limit', web({
      patterns: [new LogCollector({ logDir: '/var/log/app', destination: stdout(), resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) } } })],
    }), atSynth('[test/web] sidecar "log-collector" requests 256Mi of memory, more than its memory limit of 128Mi; Kubernetes rejects '
      + 'a request above its limit. Fix: lower the memory request to at most 128Mi, or raise the memory limit.')],
  ],

  'per-node budget': [
    ['app 1Gi + log collector 512Mi on a 1.25Gi node', web({
      container: { ...APP, resources: { memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } } },
      maxPodResources: { memory: Size.mebibytes(1280) },
      patterns: [new LogCollector({ logDir: '/var/log/app', destination: stdout(), resources: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } } })],
    }), atSynth('[test/web] the Pod requests 1.5Gi of memory (app container "app" 1Gi + sidecar "log-collector" 512Mi), but '
      + 'maxPodResources.memory is 1.25Gi. All containers of a Pod are scheduled together onto one node, so a node with 1.25Gi can '
      + 'never host this Pod. Fix: lower the containers\' memory requests or raise maxPodResources.memory.')],
    ['a node agent over its CPU budget', inChart(c => {
      new NodeAgent(c, 'agent', { container: { ...AGENT, resources: { cpu: { request: kplus.Cpu.millis(500) } } }, maxPodResources: { cpu: kplus.Cpu.millis(250) } });
      return synth(c);
    }), atSynth('[test/agent] the Pod requests 500m CPU (app container "app" 500m), but maxPodResources.cpu is 250m. All containers '
      + 'of a Pod are scheduled together onto one node, so a node with 250m CPU can never host this Pod. Fix: lower the containers\' '
      + 'CPU requests or raise maxPodResources.cpu.')],
  ],

  'other contradictions': [
    ['a stateful service with neither storage nor ephemeral', db({ volumeClaimTemplates: undefined }),
      '[test/db] a StatefulService needs per-replica storage (got volumeClaimTemplates undefined). Fix: add volumeClaimTemplates: '
      + '[{ name: "data", size: Size.gibibytes(10), mountPath: "/var/lib/data" }], or set ephemeral: true if the members keep no '
      + 'data across restarts and only need a stable identity.'],
    ['host paths without the opt-in', inChart(c => new NodeAgent(c, 'agent', { container: AGENT, hostPaths: [{ path: '/var/log/pods', mountPath: '/var/log/pods' }] })),
      '[test/agent] hostPaths ["/var/log/pods"] mount node directories, which the Pod Security Standards "baseline" and "restricted" '
      + 'profiles forbid. Fix: set allowHostPaths: true to accept that (the mounts are read-only), and run the agent in a namespace '
      + 'whose Pod Security admission allows it.'],
    ['an ambassador upstream that cannot resolve', () => new Ambassador({ listenPort: 6379, upstreams: [Endpoint.of('redis', 6379)] }),
      'Ambassador "ambassador": upstream host "redis" is a single-label name. The proxy resolves names through the Pod\'s DNS server '
      + 'without the Pod\'s search list, so it would never resolve. Fix: use the fully qualified name, e.g. '
      + '"redis.<namespace>.svc.cluster.local".'],
    ['an ExternalName pointing at an IP address', inChart(c => ExternalService.fromHostname(c, 'ext', { hostname: '10.0.0.7', ports: [{ name: 'pg', port: 5432 }] })),
      '[test/ext] hostname "10.0.0.7" is an IP address, but an ExternalName Service only works with a DNS name (cluster DNS answers '
      + 'with a CNAME). Fix: use ips: ["10.0.0.7"] instead.'],
    ['a reloader that would signal itself', () => ReloadAction.signal({ processName: 'sh' }),
      '[ReloadAction.signal] processName "sh" is also a process of the reloader, which would signal itself instead of the app. '
      + 'Fix: use the name of the app\'s executable.'],
    ['a CronJob starting deadline under 10 seconds', inChart(c => new ScheduledTask(c, 'task', { container: TASK, schedule: Cron.daily(), startingDeadline: Duration.seconds(5) })),
      '[test/task] startingDeadline must be at least 10 seconds (got 5 seconds): the CronJob controller checks schedules every 10 '
      + 'seconds, so a shorter deadline can miss runs. Fix: use Duration.seconds(10) or more.'],
  ],
};

const ROWS: [string, string, () => unknown, string][] = Object.entries(CATALOGUE)
  .flatMap(([area, rows]) => rows.map(([name, fn, message]) => [area, name, fn, message] as [string, string, () => unknown, string]));

describe('bad-input catalogue', () => {
  test('has at least 40 rows across every area', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    for (const rows of Object.values(CATALOGUE)) expect(rows.length).toBeGreaterThan(0);
  });

  test('every row has its own message', () => {
    const messages = ROWS.map(r => r[3]);
    expect(messages.filter((m, i) => messages.indexOf(m) !== i)).toEqual([]);
  });

  test.each(ROWS)('%s: fails when given %s', (_area, _name, build, message) => {
    // GIVEN an invalid input, WHEN it is built (and synthesized), THEN it fails with the exact message
    expect(errorOf(build)).toBe(message);
  });
});

describe('when validation fails, synth writes nothing', () => {
  function outdir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
  }

  function filesIn(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true }).map(String);
  }

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FILE_PER_APP])(
    'with output type %s, a sound chart next to a failing one is not written either', (yamlOutputType) => {
      // GIVEN a real app: one sound chart, then one whose Pod cannot fit its node budget
      const dir = outdir();
      const app = new App({ outdir: dir, yamlOutputType });
      new StatelessService(new Chart(app, 'sound'), 'web', { container: APP });
      new StatelessService(new Chart(app, 'broken'), 'web', {
        container: { ...APP, resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) } } },
        maxPodResources: { memory: Size.gibibytes(1) },
      });
      // WHEN it is synthesized
      const message = errorOf(() => app.synth());
      // THEN it fails with the pod rule's message, and the output directory stays empty
      expect(message).toContain('[broken/web] the Pod requests 2Gi of memory (app container "app" 2Gi), but maxPodResources.memory is 1Gi.');
      expect(filesIn(dir)).toEqual([]);
    });

  test('a request above its limit fails the synth before anything is written', () => {
    // GIVEN
    const dir = outdir();
    const app = new App({ outdir: dir });
    new BatchTask(new Chart(app, 'jobs'), 'task', { container: { ...TASK, resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(1) } } } });
    // WHEN / THEN
    expect(errorOf(() => app.synth())).toContain('[jobs/task] app container "app" requests 2 CPU, more than its CPU limit of 1;');
    expect(filesIn(dir)).toEqual([]);
  });

  test('a sound app does write its files (the check above can fail)', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new StatelessService(new Chart(app, 'sound'), 'web', { container: APP });
    app.synth();
    expect(filesIn(dir)).toEqual(['sound.k8s.yaml']);
  });
});

/** Rows for checks that guard object names, env names, quantities, size limits and host ports. */
describe('names, env vars, quantities and host ports', () => {
  const chartNamed = (id: string) => new Chart(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bad-names-')) }), id);
  const SERVICE_NAME = (id: string, name: string) => (`[${id}] the Service name ${JSON.stringify(name)} is not a DNS-1035 label `
    + '(lowercase letters, digits and \'-\', starting with a letter, at most 63 characters). Fix: rename the chart or construct ids on '
    + 'its path (e.g. "my-app" instead of "my_app", "my.app" or "9app").');

  test.each<[string, () => unknown, string]>([
    ['a construct id with "_" (object name from the construct path)', () => {
      const c = chartNamed('my_app');
      new BatchTask(c, 'x', { container: TASK });
      return synth(c);
    }, '[my_app/x] the Job name "my_app-x-c86a8870" is not a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', '
      + 'starting and ending with an alphanumeric). Fix: rename the chart or construct ids on its path (e.g. "my-app" instead of "my_app").'],
    ['a chart id with "." (Service name)', () => {
      const c = chartNamed('my.app');
      new StatelessService(c, 'x', { container: APP });
      return synth(c);
    }, SERVICE_NAME('my.app/x', 'my.app-x-service-c8ba06f0')],
    ['a chart id starting with a digit (Service name)', () => {
      const c = chartNamed('9lives');
      new StatelessService(c, 'web', { container: APP });
      return synth(c);
    }, SERVICE_NAME('9lives/web', '9lives-web-service-c8e77578')],
    ['an invalid env var name on the main container', web({ container: { ...APP, envVariables: { '1BAD': kplus.EnvValue.fromValue('x') } } }),
      `[test/web] ${ENV_NAME('container env var name', '1BAD')}`],
    ['an invalid env var name on a sidecar', web({
      patterns: [new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: 9121, env: [{ name: 'BAD NAME', value: kplus.EnvValue.fromValue('x') }] })],
    }), `[test/web/exporter] ${ENV_NAME('sidecar "exporter" env var name', 'BAD NAME')}`],
    ['a negative CPU request', web({ container: { ...APP, resources: { cpu: { request: kplus.Cpu.millis(-5) } } } }),
      atSynth('[test/web] app container "app" has CPU request "-5m", which is not a non-negative quantity. Fix: use a value like Cpu.millis(250).')],
    ['a shared volume size limit of 0', web({
      patterns: [new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), logVolumeSizeLimit: Size.mebibytes(0) })],
    }), '[test/web/log-collector] shared volume "log-collector-logs" has sizeLimit "0Mi"; an emptyDir needs a positive size limit, or none. '
      + 'Fix: use a size like Size.mebibytes(64), or leave sizeLimit unset.'],
    ['a hostPort on the main container', web({ container: { ...APP, ports: [{ number: 8080, name: 'http', hostPort: 70000 }] } }),
      '[test/web] container port 8080 asks for hostPort 70000; host ports bind the Pod to one port of its node, limit it to one replica '
      + 'per node, and are forbidden by Pod Security Standards. Fix: drop hostPort and reach the container through a Service.'],
  ])('fails when given %s', (_what, build, message) => {
    expect(errorOf(build)).toBe(message);
  });
});
