/**
 * The bad-input catalogue: every row is an invalid input to one of the
 * library's constructs, and the exact error it must produce. Bad input fails
 * early and loudly; it never becomes YAML.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Cron, Duration, JsonPatch, Size, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Ambassador, ArtifactInit, BatchTask, BatchTaskProps, ClaimRetention, ConfigReloader, DisruptionBudget, Endpoint, EnvConfig, ExporterAdapter,
  ExternalService, HttpAdapter, InitStep, KubernetesVersion, LogCollector, LogDestination, MountedConfig, NodeAgent, PodFailureRule,
  ReloadAction, ResourcePreset, RootOptIn, ScheduledTask, SecretKeyRef, SecretRef, Sidecar, SidecarMode, StatefulService,
  StatefulServiceProps, StatelessService, StatelessServiceProps, TaskCompletionMode, UnhealthyPodEvictionPolicy, WaitFor,
} from '../src';
import { errorOf, newChart, synth } from './util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const TASK: kplus.ContainerProps = { image: 'busybox:1.36.1', securityContext: { user: 10001 } };
const AGENT: kplus.ContainerProps = { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 10001 } };
const STORAGE = [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/data' }];

/** The message of a failed synth, as `cdk8s synth` prints it (see test/util.ts). */
const atSynth = (...lines: string[]) => `Validation failed with the following errors:\n${lines.map(l => `  ${l}`).join('\n')}`;

const DNS_LABEL = (what: string, value: string) => `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and `
  + `ending with an alphanumeric, at most 63 characters (got ${JSON.stringify(value)}, ${value.length} characters). `
  + 'Fix: use a name like "log-collector".';
const ABSOLUTE = (what: string, value: string) => `${what} must be an absolute path without '..' segments (got ${JSON.stringify(value)}). `
  + 'Fix: use a path like "/var/log/app".';
const PORT_RANGE = (what: string, value: number) => `${what} must be an integer between 1 and 65535 (got ${value}). Fix: use the port the program listens on, e.g. 8080.`;
const ENV_NAME = (what: string, value: string) => `${what} must be a valid environment variable name: letters, digits, '_', '-' or '.', `
  + `not starting with a digit (got ${JSON.stringify(value)}). Fix: use a name like "REDIS_ADDR".`;

const OUT_OF_RANGE = (version: string) => `the version must be from 1.27 to 1.34, the versions this library targets (got "${version}"). `
  + 'Fix: target the version of your oldest cluster, or 1.34 if it runs a newer one; clusters older than 1.27 are not supported.';
/** The refusal of a version-gated field: `why` is the gate's reason, quoted in full by each row. */
const TOO_EARLY = (prop: string, field: string, min: string, version: string, why: string) => `${prop} renders ${field}, which needs `
  + `Kubernetes >= ${min} (got kubernetesVersion ${version}). ${why} Fix: if your clusters run ${min} or later, set kubernetesVersion: `
  + `KubernetesVersion.V${min.replace('.', '_')} on the workload (or the context value "cdk8s-container-patterns/kubernetesVersion" to `
  + `"${min}"); else drop ${prop}.`;

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

/** A web service whose app runs as root (by opt-in) and is reloaded by signal. */
function reloaderAsRoot(): () => unknown {
  return inChart(c => {
    const config = new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }] });
    new StatelessService(c, 'web', {
      container: { image: 'nginx:1.27.2', ports: [{ number: 8080, name: 'http' }] },
      runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx' }) })],
    });
    return synth(c);
  });
}

/** A web service whose Deployment a JSON patch sets `pointer` to true on (typed objects name fields as their props do). */
function patched(pointer: string): () => unknown {
  return inChart(c => {
    const svc = new StatelessService(c, 'web', { container: APP });
    ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add(pointer, true));
    return synth(c);
  });
}

/** A node agent mounting one node path. */
function agentWith(nodePath: string): () => unknown {
  return inChart(c => new NodeAgent(c, 'agent', { container: AGENT, allowHostPaths: true, hostPaths: [{ path: nodePath, mountPath: '/host' }] }));
}

/** A web service whose app is reloaded by signal, by a reloader running as `user` (or the app's). */
function reloader(container: kplus.ContainerProps, user?: number): () => unknown {
  return inChart(c => {
    const config = new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }] });
    new StatelessService(c, 'web', {
      container,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', user }) })],
    });
    return synth(c);
  });
}

const stdout = () => LogDestination.stdout();
const loki = () => Endpoint.of('loki', 3100);
const password = () => SecretKeyRef.of(newChart(), 'log-creds', 'password');
const LOG_DIR_FIX = 'log to a directory whose path is plain, e.g. "/var/log/app", and choose the files with filePattern.';
const TAIL_PATH = (logDir: string) => `logDir must not contain ',', '*', '?', '[', ']' or '\\' (got ${JSON.stringify(logDir)}); fluent-bit `
  + 'reads the tail path as a comma-separated list of glob patterns, so the collector would tail other files than the ones the app '
  + `writes. Fix: ${LOG_DIR_FIX}`;
const EXPANDS = (what: string, value: string, fix: string) => `${what} contains "\${" (got ${JSON.stringify(value)}); fluent-bit replaces `
  + '${NAME} in every configuration value with the environment variable NAME of the collector and has no escape for it, so the '
  + `value would not arrive as written and could reveal a secret the collector holds, such as its password. Fix: ${fix}`;
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
      + '(got "my_secret"). Fix: use a name like "orders-db-credentials".'],
    ['StatefulSet name derived from long construct ids', () => {
      const chart = new Chart(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bad-')) }), 'a'.repeat(40));
      return new StatefulService(chart, 'b'.repeat(30), { container: APP, ephemeral: true });
    }, `[${'a'.repeat(40)}/${'b'.repeat(30)}] the StatefulSet name "aaaaaaaaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-c81b38d7" has 54 `
      + 'characters; Kubernetes derives the controller-revision-hash label of every member from it, which fails above 52 characters, '
      + 'so no member would start. Fix: choose a shorter name, or shorten the chart name or the construct ids on the path to this StatefulService.'],
    ['workload name with "_"', web({ name: 'my_web' }),
      '[test/web] name must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
      + '(got "my_web"). Fix: use a name like "web".'],
    ['Service name with a dot', web({ service: { name: 'web.v2' } }),
      '[test/web] service.name must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and ending with '
      + 'a letter or digit, at most 63 characters (got "web.v2"). Fix: use a name like "web".'],
    ['headless Service name starting with a digit', db({ headlessServiceName: '1db' }),
      '[test/db] headlessServiceName must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and '
      + 'ending with a letter or digit, at most 63 characters (got "1db"). Fix: use a name like "web".'],
    ['read Service name with upper case', db({ clientService: { name: 'DB-read' } }),
      '[test/db] clientService.name must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and '
      + 'ending with a letter or digit, at most 63 characters (got "DB-read"). Fix: use a name like "web".'],
    ['StatefulSet name whose highest member hostname is over 63 characters', db({ name: `${'d'.repeat(40)}.${'e'.repeat(20)}`, headlessServiceName: 'db', replicas: 12 }),
      `[test/db] the hostname of member 11, "${'d'.repeat(40)}.${'e'.repeat(20)}-11", is not a DNS label (lowercase letters, digits `
      + 'and \'-\', at most 63 characters, no dots), so the member would get no stable DNS name. Fix: choose a StatefulSet name '
      + 'without dots that leaves room for "-11" within 63 characters (name: "db").'],
    ['CronJob name over 52 characters', inChart(c => new ScheduledTask(c, 'nightly', {
      container: TASK, schedule: Cron.daily(), name: 'n'.repeat(53),
    })), `[test/nightly] name "${'n'.repeat(53)}" has 53 characters, but the CronJob controller appends an 11-character suffix to `
      + 'name each Job, so Kubernetes refuses it above 52. Fix: choose a name of at most 52 characters.'],
    ['readEndpoint without a read Service', inChart(c => new StatefulService(c, 'db', { container: APP, ephemeral: true }).readEndpoint),
      '[test/db] readEndpoint was used, but this StatefulService has no read Service (got clientService undefined). '
      + 'Fix: set clientService: { name: "db-read" }, or connect to primary or allMembers.'],
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
      '[Ambassador "ambassador"] listenPort must be an integer between 1 and 65535 (got 65536). '
      + 'Fix: use the port the app expects its dependency on, e.g. 6379 for Redis.'],
    ['HttpAdapter port -1', () => new HttpAdapter({ port: -1, routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
      `[HttpAdapter "http-adapter"] ${PORT_RANGE('port', -1)}`],
    ['ExporterAdapter port 1.5', () => new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: 1.5 }),
      `[ExporterAdapter "exporter"] ${PORT_RANGE('port', 1.5)}`],
    ['Endpoint port 0', () => Endpoint.of('db', 0),
      '[Endpoint.of] port must be an integer between 1 and 65535 (got 0). Fix: use the port the service listens on, e.g. 5432.'],
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
      '[test/web/http-adapter] port 8080 is already a port of the app container "app" ("http"); the containers of a Pod share '
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
    ['an EnvConfig prefix that makes a variable name start with a digit', inChart(c => new EnvConfig(c, 'env', {
      variables: [{ name: 'LEVEL', value: 'info' }], envPrefix: '9_',
    })), `[test/env] ${ENV_NAME('envPrefix + variables[0].name', '9_LEVEL')}`],
    ['a MountedConfig file mode above 0o777', inChart(c => new MountedConfig(c, 'files', {
      mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }], fileMode: 0o1000,
    })), '[test/files] fileMode must be file mode bits from 0o000 to 0o777 (got 0o1000). Fix: write the mode as an octal literal, '
      + 'e.g. 0o400 for a file only its owner may read.'],
    ['a MountedConfig item for a key that is not a file', inChart(c => new MountedConfig(c, 'files', {
      mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }], items: [{ key: 'b.yaml', path: 'b.yaml' }],
    })), '[test/files] items[0].key "b.yaml" is not one of the files (known: "a.yaml"). Fix: use the key of a file in files.'],
    ['a MountedConfig item path that leaves the volume', inChart(c => new MountedConfig(c, 'files', {
      mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }], items: [{ key: 'a.yaml', path: '/etc/a.yaml' }],
    })), '[test/files] items[0].path must be a relative path without empty or \'..\' segments (got "/etc/a.yaml"). '
      + 'Fix: use a path like "conf/app.yaml".'],
    ['a MountedConfig path given to two items', inChart(c => new MountedConfig(c, 'files', {
      mountPath: '/etc/app',
      files: [{ key: 'a.yaml', content: '' }, { key: 'b.yaml', content: '' }],
      items: [{ key: 'a.yaml', path: 'x.yaml' }, { key: 'b.yaml', path: 'x.yaml' }],
    })), '[test/files] items lists the path "x.yaml" more than once. Fix: give each key its own path.'],
    ['an empty MountedConfig items list', inChart(c => new MountedConfig(c, 'files', {
      mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }], items: [],
    })), '[test/files] items must list at least one key and its path (got []). Fix: e.g. items: [{ key: "app.yaml", path: '
      + '"conf/app.yaml" }], or drop items to show every key.'],
    ['an ExporterAdapter mount with a relative path', () => new ExporterAdapter({
      image: 'oliver006/redis_exporter:v1.62.0', port: 9121, mounts: [{ volume: 'stats', path: 'stats' }],
    }), `[ExporterAdapter "exporter"] ${ABSOLUTE('mounts path of volume "stats"', 'stats')}`],
    ['a NodeAgent host path marked writable without the opt-in', inChart(c => new NodeAgent(c, 'agent', {
      container: AGENT, allowHostPaths: true, hostPaths: [{ path: '/var/cache/agent', mountPath: '/cache', writable: true }],
    })), '[test/agent] hostPaths ["/var/cache/agent"] are marked writable, which lets the agent change the files of every node it '
      + 'runs on under those paths. Fix: set allowWritableHostPaths: true to accept that, or drop writable to mount them read-only.'],
    ['a NodeAgent writable opt-in without a writable host path', inChart(c => new NodeAgent(c, 'agent', {
      container: AGENT, allowHostPaths: true, allowWritableHostPaths: true, hostPaths: [{ path: '/var/log', mountPath: '/var/log' }],
    })), '[test/agent] allowWritableHostPaths is set, but no hostPath is marked writable (got hostPaths ["/var/log"]). '
      + 'Fix: drop allowWritableHostPaths, or mark the path the agent writes with writable: true.'],
    ['a Sidecar port listed twice', () => new Sidecar({
      name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'a', port: 9090 }, { name: 'b', port: 9090 }],
    }), '[Sidecar "status"] port 9090 is listed twice. Fix: list each port once.'],
    ['a Sidecar without a name', () => new Sidecar({ image: 'busybox:1.36.1' } as any),
      '[Sidecar] name is required (got undefined). Fix: pass a name like "git-sync".'],
    ['an empty EnvConfig prefix', inChart(c => new EnvConfig(c, 'env', { variables: [{ name: 'LEVEL', value: 'info' }], envPrefix: '' })),
      '[test/env] envPrefix must be a non-empty prefix like "APP_" (got ""). Fix: drop envPrefix to use the names as they are, or give a prefix.'],
    ['two connections under one env prefix', inChart(c => {
      const w = new StatelessService(c, 'web', { container: APP });
      w.connect(Endpoint.of('db', 5432), { envPrefix: 'DB' });
      w.connect(Endpoint.of('db2', 5432), { envPrefix: 'DB' });
    }), '[test/web] connect: envPrefix "DB" is already used by a connection to db:5432; connecting db2:5432 under the same prefix '
      + 'would overwrite DB_HOST. Fix: use a distinct envPrefix per endpoint.'],
    ['an adapter route listed twice', () => new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/health', upstreamPath: '/ready' }] }),
      '[HttpAdapter "http-adapter"] route path "/health" is listed twice; each path can be answered from only one upstream path. '
      + 'Fix: keep one route per path.'],
    ['two host paths with one volume name', inChart(c => new NodeAgent(c, 'agent', {
      container: AGENT, allowHostPaths: true, hostPaths: [{ path: '/var/log', mountPath: '/a' }, { path: '/var/log/', mountPath: '/b' }],
    })), '[test/agent] two hostPaths share the volume name "host-var-log" (the second is "/var/log/"). Fix: give one of them a distinct name.'],
    ['an upstream listed twice', () => new Ambassador({ listenPort: 6379, upstreams: [...redis(), ...redis()] }),
      '[Ambassador "ambassador"] upstream redis-0.redis.data.svc.cluster.local:6379 is listed twice. Fix: list each endpoint once.'],
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
    ['an active deadline of 1500.5 ms', task({ activeDeadline: Duration.millis(1500.5) }),
      '[test/task] activeDeadline must be a whole number of seconds, at least 1 (got 1 second 500.5 millis). Fix: use e.g. '
      + 'Duration.minutes(30).'],
    ['a fractional ttlAfterFinished', task({ ttlAfterFinished: Duration.millis(1500) }),
      '[test/task] ttlAfterFinished must be a whole number of seconds, 0 or more (got 1 second 500 millis). Fix: use e.g. '
      + 'Duration.hours(1); Duration.seconds(0) deletes the Job as soon as it finishes.'],
    ['completions 0', task({ completions: 0 }),
      '[test/task] completions must be an integer >= 1 (got 0). Fix: use the number of successful Pods the task needs, e.g. 1.'],
    ['parallelism above completions', task({ completions: 2, parallelism: 3 }),
      '[test/task] parallelism (3) is above completions (2); Kubernetes would never run more than 2 Pods at once. '
      + 'Fix: lower parallelism or raise completions.'],
    ['backoffLimit -1', task({ backoffLimit: -1 }),
      '[test/task] backoffLimit must be an integer >= 0 (got -1). Fix: use the number of retries, e.g. 6; 0 never retries.'],
    ['maxConnections 0', () => new Ambassador({ listenPort: 6379, upstreams: redis(), maxConnections: 0 }),
      '[Ambassador "ambassador"] maxConnections must be an integer >= 1 (got 0). '
      + 'Fix: use the most connections the app opens at once, e.g. 1024 (the default).'],
    ['a WaitFor with no endpoints', () => new WaitFor({ endpoints: [] }),
      '[WaitFor "wait-for"] endpoints must list at least one endpoint to wait for (got []). '
      + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.'],
    ['a reload interval of half a second', inChart(c => new ConfigReloader({
      config: new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }] }),
      action: ReloadAction.httpPost(8080, '/-/reload'),
      interval: Duration.millis(500),
    })), '[ConfigReloader "config-reloader"] interval must be a whole number of seconds >= 1 (got 0.5 seconds). '
      + 'Fix: e.g. interval: Duration.seconds(10).'],
    ['a reloader user with a signal action', inChart(c => new ConfigReloader({
      config: new MountedConfig(c, 'files', { mountPath: '/etc/app', files: [{ key: 'a.yaml', content: '' }] }),
      action: ReloadAction.signal({ processName: 'nginx' }),
      user: 1000,
    })), '[ConfigReloader "config-reloader"] user (got 1000) applies to an HTTP action; a signal action runs as the app\'s user, the '
      + 'only one whose processes it may signal. Fix: drop user, or pass it to ReloadAction.signal({ processName, user }) when '
      + 'the main container sets none.'],
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
      '[test/web] autoscaling.cpuTargetUtilization must be a whole percentage of the request, 1 or more (got 0). Fix: use e.g. 70; a value '
      + 'above 100 is valid too, and lets each Pod use more than its request before the HPA adds replicas.'],
    ['minAvailable equal to replicas', web({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      '[test/web] disruptionBudget minAvailable 2 is >= the replica count 2, which would block every voluntary eviction (node drains '
      + 'and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.'],
    ['minAvailable equal to the autoscaler minimum', web({ autoscaling: { maxReplicas: 4 }, disruptionBudget: DisruptionBudget.minAvailable(2) }),
      '[test/web] disruptionBudget minAvailable 2 is >= the minimum replica count 2, which would block every voluntary eviction '
      + '(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.'],
    ['maxUnavailable 0', () => DisruptionBudget.maxUnavailable(0), '[DisruptionBudget.maxUnavailable] count must be an integer >= 1 (got 0). Fix: use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.'],
    ['minAvailable -1', () => DisruptionBudget.minAvailable(-1),
      '[DisruptionBudget.minAvailable] count must be an integer >= 0 (got -1). Fix: use a whole number of Pods, e.g. 1.'],
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
    ['a writable path', inChart(c => new StatelessService(c, 'web', { container: APP, writablePaths: [{ path: 'var/cache/nginx' }] })),
      `[test/web] ${ABSOLUTE('writablePaths path', 'var/cache/nginx')}`],
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
      '[KubernetesVersion.of] expected a version like "1.29" (got "2.0"). Fix: give the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29").'],
  ],

  'Kubernetes versions and version-gated fields': [
    ['Kubernetes 1.26, older than the supported range', () => KubernetesVersion.of('1.26'), `[KubernetesVersion.of] ${OUT_OF_RANGE('1.26')}`],
    ['Kubernetes 1.35, newer than the supported range', () => KubernetesVersion.of('1.35'), `[KubernetesVersion.of] ${OUT_OF_RANGE('1.35')}`],
    ['a context kubernetesVersion outside the range', () => {
      const chart = newChart({ 'cdk8s-container-patterns/kubernetesVersion': '1.35' });
      return new StatelessService(chart, 'web', { container: APP });
    }, `[test/web] the context value cdk8s-container-patterns/kubernetesVersion: ${OUT_OF_RANGE('1.35')}`],
    ['PVC retention on Kubernetes 1.31', db({ kubernetesVersion: KubernetesVersion.V1_31, claimRetention: { whenDeleted: ClaimRetention.DELETE } }),
      '[test/db] ' + TOO_EARLY('claimRetention', 'persistentVolumeClaimRetentionPolicy', '1.32', '1.31', 'The field is GA from 1.32; before, '
      + 'it depends on a beta feature gate (StatefulSetAutoDeletePVC), and where that is off the API server drops the field, so claims '
      + 'the manifest says are deleted are kept and GitOps never sees the object in sync.')],
    ['a PDB eviction policy on Kubernetes 1.30', web({
      replicas: 2,
      kubernetesVersion: KubernetesVersion.V1_30,
      disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.ALWAYS_ALLOW }),
    }), '[test/web] ' + TOO_EARLY('unhealthyPodEvictionPolicy', 'unhealthyPodEvictionPolicy', '1.31', '1.30', 'The field is GA from 1.31; '
      + 'before, it depends on a beta feature gate (PDBUnhealthyPodEvictionPolicy), and where that is off the API server drops the field '
      + 'and GitOps never sees the budget in sync.')],
    ['a PDB eviction policy on a StatefulService on the default 1.27', db({
      disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET }),
    }), '[test/db] ' + TOO_EARLY('unhealthyPodEvictionPolicy', 'unhealthyPodEvictionPolicy', '1.31', '1.27', 'The field is GA from 1.31; '
      + 'before, it depends on a beta feature gate (PDBUnhealthyPodEvictionPolicy), and where that is off the API server drops the field '
      + 'and GitOps never sees the budget in sync.')],
    ['a pod failure policy on Kubernetes 1.30', task({ kubernetesVersion: KubernetesVersion.V1_30, podFailurePolicy: [PodFailureRule.ignoreDisruptions()] }),
      '[test/task] ' + TOO_EARLY('podFailurePolicy', 'podFailurePolicy', '1.31', '1.30', 'The field and the DisruptionTarget Pod condition '
      + 'its rules match are GA from 1.31; before, they depend on beta feature gates (JobPodFailurePolicy, PodDisruptionConditions), and '
      + 'where those are off the Job ignores its rules.')],
    ['a pod failure policy on a ScheduledTask on the default 1.27', inChart(c => new ScheduledTask(c, 'task', {
      container: TASK, schedule: Cron.daily(), podFailurePolicy: [PodFailureRule.ignoreDisruptions()],
    })), '[test/task] ' + TOO_EARLY('podFailurePolicy', 'podFailurePolicy', '1.31', '1.27', 'The field and the DisruptionTarget Pod '
      + 'condition its rules match are GA from 1.31; before, they depend on beta feature gates (JobPodFailurePolicy, '
      + 'PodDisruptionConditions), and where those are off the Job ignores its rules.')],
    ['a backoff limit per index on Kubernetes 1.32', task({
      kubernetesVersion: KubernetesVersion.V1_32, completions: 3, completionMode: TaskCompletionMode.INDEXED, backoffLimitPerIndex: 1,
    }), '[test/task] ' + TOO_EARLY('backoffLimitPerIndex', 'backoffLimitPerIndex', '1.33', '1.32', 'The field is GA from 1.33; before, it '
      + 'depends on a beta feature gate (JobBackoffLimitPerIndex), and where that is off the API server drops it and the whole Job fails '
      + 'after backoffLimit failures of any index.')],
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
    ['ambassador image without a tag', () => new Ambassador({ listenPort: 6379, upstreams: redis(), image: 'haproxy' }),
      '[Ambassador "ambassador"] image "haproxy" has no tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "haproxy:1.2.3", or a digest.'],
    ['exporter image "latest"', () => new ExporterAdapter({ image: 'oliver006/redis_exporter:latest', port: 9121 }),
      '[ExporterAdapter "exporter"] image "oliver006/redis_exporter:latest" uses the "latest" tag, so every pull may fetch '
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
    ['an ambassador env var with a space', () => new Ambassador({ listenPort: 6379, upstreams: redis(), envVar: 'redis addr' }),
      `[Ambassador "ambassador"] ${ENV_NAME('envVar', 'redis addr')}`],
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

  'values fluent-bit would expand, split or glob': [
    ['a log directory with a comma (a second tail path)', () => new LogCollector({ logDir: '/var/log/app,/etc', destination: stdout() }),
      `[LogCollector "log-collector"] ${TAIL_PATH('/var/log/app,/etc')}`],
    ['a log directory with a glob character', () => new LogCollector({ logDir: '/var/log/app-[0-9]', destination: stdout() }),
      `[LogCollector "log-collector"] ${TAIL_PATH('/var/log/app-[0-9]')}`],
    ['a log directory with ${', () => new LogCollector({ logDir: '/var/log/${HOSTNAME}', destination: stdout() }),
      `[LogCollector "log-collector"] ${EXPANDS('logDir', '/var/log/${HOSTNAME}', LOG_DIR_FIX)}`],
    ['a log directory with a line break', () => new LogCollector({ logDir: '/var/log/app\n  exclude_path: /x', destination: stdout() }),
      '[LogCollector "log-collector"] logDir contains a control character (got "/var/log/app\\n  exclude_path: /x"); fluent-bit would not '
      + `read it as one value. Fix: ${LOG_DIR_FIX}`],
    ['a file pattern with ${', () => new LogCollector({ logDir: '/var/log/app', filePattern: '${POD_NAME}.log', destination: stdout() }),
      `[LogCollector "log-collector"] ${EXPANDS('filePattern', '${POD_NAME}.log', 'use a pattern like "*.log".')}`],
    ['a multiline parser list', () => new LogCollector({ logDir: '/var/log/app', destination: stdout(), multiline: 'java,go' as any }),
      '[LogCollector "log-collector"] multiline must be a MultilineParser (got "java,go"). '
      + 'Fix: use MultilineParser.JAVA, MultilineParser.GO or MultilineParser.PYTHON, or omit it.'],
    ['a log format that is not a LogFormat', () => new LogCollector({ logDir: '/var/log/app', destination: stdout(), format: 'logfmt' as any }),
      '[LogCollector "log-collector"] format must be a LogFormat (got "logfmt"). Fix: use LogFormat.PLAIN or LogFormat.JSON.'],
    ['a Loki label publishing the password', () => LogDestination.loki({ endpoint: loki(), labels: [{ name: 'leak', value: '${FLB_LOKI_PASSWORD}' }] }),
      `[LogDestination.loki] ${EXPANDS('value of label "leak"', '${FLB_LOKI_PASSWORD}', 'use a value like "web" or a record accessor like "$pod_name".')}`],
    ['a Loki user with ${', () => LogDestination.loki({ endpoint: loki(), user: '${FLB_LOKI_PASSWORD}', password: password() }),
      `[LogDestination.loki] ${EXPANDS('user', '${FLB_LOKI_PASSWORD}', 'use the user name the destination knows, e.g. "log-shipper".')}`],
    ['an Elasticsearch user with ":"', () => LogDestination.elasticsearch({ endpoint: loki(), index: 'logs', user: 'ship:per', password: password() }),
      '[LogDestination.elasticsearch] user must be a non-empty user name without whitespace or \':\' (got "ship:per"). '
      + 'Fix: use the user name the destination knows, e.g. "log-shipper".'],
    ['a Loki tenant with ${', () => LogDestination.loki({ endpoint: loki(), tenantId: '${TENANT}' }),
      '[LogDestination.loki] tenantId must be a Loki tenant id: letters, digits and !-_.*\'() (got "${TENANT}"). Fix: use an id like "team-a".'],
    ['a destination host with ${', () => LogDestination.loki({ endpoint: { host: '${FLB_LOKI_PASSWORD}.example.com', port: 3100, url: '' } }),
      '[LogDestination.loki] endpoint host must be a DNS name or an IP address (got "${FLB_LOKI_PASSWORD}.example.com"); '
      + 'fluent-bit connects to it as written. Fix: pass a service of this app, an ExternalService, or Endpoint.of(host, port).'],
    ['a destination without an endpoint', () => LogDestination.forward({} as any),
      '[LogDestination.forward] endpoint is required (got undefined). Fix: pass a service of this app, an ExternalService, or '
      + 'Endpoint.of(host, port).'],
    ['a destination endpoint with port 0', () => LogDestination.elasticsearch({ endpoint: { host: 'es', port: 0, url: 'es:0' }, index: 'logs' }),
      '[LogDestination.elasticsearch] endpoint port must be an integer between 1 and 65535 (got 0). '
      + 'Fix: give the port the destination listens on, e.g. 9200 for Elasticsearch.'],
    ['a log collector running as root', () => new LogCollector({ logDir: '/var/log/app', destination: stdout(), user: 0 }),
      '[LogCollector "log-collector"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use a non-root id such as 65532.'],
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

  'values HAProxy and nginx refuse at start': [
    ['an ambassador idle timeout of 30 days', () => new Ambassador({ listenPort: 6379, upstreams: redis(), idleTimeout: Duration.days(30) }),
      '[Ambassador "ambassador"] idleTimeout must be at most 2147483647 milliseconds (about 24.8 days), the longest timer HAProxy '
      + 'accepts (got 2592000000 ms). Fix: use at most Duration.days(24), e.g. Duration.minutes(30) (the default).'],
    ['an ambassador connect timeout of 1500.5 ms', () => new Ambassador({ listenPort: 6379, upstreams: redis(), connectTimeout: Duration.millis(1500.5) }),
      '[Ambassador "ambassador"] connectTimeout must be a whole number of milliseconds (got 1 second 500.5 millis). '
      + 'Fix: round it, e.g. Duration.millis(1500).'],
    ['an ambassador health check rise count of 2^31', () => new Ambassador({ listenPort: 6379, upstreams: redis(), healthCheck: { riseCount: 2 ** 31 } }),
      '[Ambassador "ambassador"] healthCheck.riseCount must be an integer between 1 and 2147483647 (got 2147483648). '
      + 'Fix: use a small count, e.g. 2 (the default).'],
    ['an ambassador maxConnections of 1e9', () => new Ambassador({ listenPort: 6379, upstreams: redis(), maxConnections: 1e9 }),
      '[Ambassador "ambassador"] maxConnections must be at most 250000 (got 1000000000): HAProxy reserves two file descriptors '
      + 'per connection when it starts, and does not start when the container\'s open-file limit (524288 with containerd 2) or '
      + 'its memory cannot hold them. Fix: use the most connections the app opens at once, e.g. 1024 (the default).'],
    ['an Endpoint with an IPv4 octet over 255', () => Endpoint.of('10.0.0.256', 6379),
      '[Endpoint.of] host must be a DNS name or an IP address (got "10.0.0.256"). '
      + 'Fix: pass a name like "orders-db.data.svc.cluster.local" or an address like "10.0.12.7".'],
    ['an IPv4 upstream with an octet over 255', () => new Ambassador({ listenPort: 6379, upstreams: [{ host: '10.0.0.256', port: 6379, url: '10.0.0.256:6379' }] }),
      '[Ambassador "ambassador"] upstream host "10.0.0.256" is not an IPv4 address: it must be four numbers from 0 to 255, '
      + 'without leading zeros (resolvers read a leading zero as octal). Fix: correct the address, e.g. "10.0.0.7".'],
    ['an adapter route path over 256 characters', () => new HttpAdapter({ port: 9000, routes: [{ path: `/${'a'.repeat(256)}`, upstreamPath: '/metrics' }] }),
      '[HttpAdapter "http-adapter"] route path must have at most 256 characters, as nginx before 1.23.4 never matches a longer '
      + 'route (got 257 characters, starting "/aaaaaaaaaaaaaaaaaaa"). Fix: use a shorter path.'],
    ['an adapter upstream path over 4000 characters', () => new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: `/${'m'.repeat(4000)}` }] }),
      '[HttpAdapter "http-adapter"] route upstreamPath must have at most 4000 characters, as nginx refuses longer parameters in '
      + 'its configuration (got 4001 characters, starting "/mmmmmmmmmmmmmmmmmmm"). Fix: use a shorter path.'],
    ['an adapter route path with percent-encoding', () => new HttpAdapter({ port: 9000, routes: [{ path: '/a%20b', upstreamPath: '/metrics' }] }),
      '[HttpAdapter "http-adapter"] route path "/a%20b" contains a percent-encoded character; nginx matches routes against the '
      + 'decoded request path, so this route would answer requests for "/a%2520b" instead. Fix: use a path of plain URL '
      + 'characters, e.g. "/health".'],
    ['an adapter route path with "//"', () => new HttpAdapter({ port: 9000, routes: [{ path: '/status//health', upstreamPath: '/metrics' }] }),
      '[HttpAdapter "http-adapter"] route path "/status//health" has an empty, "." or ".." segment; nginx merges "//" and resolves '
      + '"." and ".." in the request path before it matches routes, so this route would never match. Fix: write the path in its '
      + 'normal form, "/status/health".'],
    ['an ambassador running as root', () => new Ambassador({ listenPort: 6379, upstreams: redis(), user: 0 }),
      '[Ambassador "ambassador"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use the numeric user the image runs HAProxy as, e.g. 99 for the official image.'],
    ['an adapter running as root', () => new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }], user: 0 }),
      '[HttpAdapter "http-adapter"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use the numeric user the image runs nginx as, e.g. 101 for the unprivileged nginx image.'],
  ],

  'output that starts': [
    ['a main container with no numeric user', inChart(c => new StatelessService(c, 'web', { container: { image: 'tomcat:7.0', ports: [{ number: 8080 }] } })),
      '[test/web] container "app" (image "tomcat:7.0") has no numeric non-root user (got securityContext.user undefined, in the '
      + 'container and the Pod); the kubelet refuses runAsNonRoot for an image that runs as root or under a user name, so the Pod '
      + 'would never start. Fix: set container.securityContext.user (or podSecurityContext.user) to a numeric user such as 10001, '
      + 'with writablePaths for what the image writes, or opt into root with runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY '
      + '(the Pod then meets only the baseline Pod Security Standard).'],
    ['user 0 without the root opt-in', inChart(c => new StatelessService(c, 'web', { container: { image: 'nginx:1.7.9', securityContext: { user: 0 } } })),
      '[test/web] container "app" (image "nginx:1.7.9") has no numeric non-root user (got securityContext.user 0, in the '
      + 'container and the Pod); the kubelet refuses runAsNonRoot for an image that runs as root or under a user name, so the Pod '
      + 'would never start. Fix: set container.securityContext.user (or podSecurityContext.user) to a numeric user such as 10001, '
      + 'with writablePaths for what the image writes, or opt into root with runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY '
      + '(the Pod then meets only the baseline Pod Security Standard).'],
    ['the root opt-in together with a non-root user', inChart(c => new StatelessService(c, 'web', {
      container: { ...APP, securityContext: { user: 101 } }, runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
    })),
    '[test/web] container "app" opts into root with runAsRoot, yet sets user 101; the two contradict each other. '
      + 'Fix: drop runAsRoot to run as that user, or drop the user to run as root.'],
    ['a runAsRoot value that is not a RootOptIn', inChart(c => new StatelessService(c, 'web', { container: APP, runAsRoot: 'yes' as RootOptIn })),
      '[test/web] runAsRoot must be a RootOptIn (got "yes"). Fix: use RootOptIn.ACCEPT_BASELINE_POD_SECURITY, or leave runAsRoot '
      + 'unset and give a numeric user.'],
    ['both resources and a resource preset', inChart(c => new StatelessService(c, 'web', {
      container: { ...APP, resources: { memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) } } }, resourcePreset: ResourcePreset.LARGE,
    })),
    '[test/web] container "app" sets both resources and resourcePreset "large"; one would silently win. Fix: keep one of them.'],
    ['a resource preset that is not a ResourcePreset', inChart(c => new StatelessService(c, 'web', { container: APP, resourcePreset: 'huge' as ResourcePreset })),
      '[test/web] resourcePreset must be a ResourcePreset (got "huge"). Fix: use one of ResourcePreset.NANO, MICRO, SMALL, MEDIUM, '
      + 'LARGE or XLARGE.'],
    ['the root directory as a writable path', inChart(c => new StatelessService(c, 'web', { container: APP, writablePaths: [{ path: '/' }] })),
      '[test/web] writablePaths path "/" cannot be an emptyDir: it is the root itself. Fix: give the directory the app writes to, '
      + 'e.g. "/var/cache/nginx".'],
    ['an unprivileged-port sysctl above the main container\'s port', inChart(c => {
      new StatelessService(c, 'web', {
        container: { ...APP, ports: [{ number: 80 }] },
        podSecurityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '1024' }] },
      });
      return synth(c);
    }),
    atSynth('[test/web] podSecurityContext sets net.ipv4.ip_unprivileged_port_start to "1024", yet container "app" runs as a '
      + 'non-root user and declares port 80, which it then cannot bind. Fix: set the sysctl to 80 or lower, or drop it and let the '
      + 'library set it.')],
  ],

  'schedules and image references': [
    ...([['61 * * * *', 'the minute field "61" has "61", which is not a number from 0 to 59'],
      ['every 5', 'a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has 2']] as const).map(([e, problem]) =>
      [`the cron schedule ${JSON.stringify(e)}`, inChart(c => new ScheduledTask(c, 'task', { container: TASK, schedule: { expressionString: e } })),
        `[test/task] schedule ${JSON.stringify(e)} is not a schedule Kubernetes accepts: ${problem}. Fix: use the 5-field cron syntax `
        + 'with values in range (e.g. Cron.schedule({ minute: "*/5" }) for every 5 minutes), or one of the macros @hourly, @daily, '
        + '@weekly, @monthly, @yearly.'] as Row),
    ...([['nginx :1.27.2', 'it contains whitespace'], ['Nginx:1.27.2', 'the repository "Nginx" has upper-case letters']] as const).map(([image, problem]) =>
      [`the image ${JSON.stringify(image)}`, web({ container: { ...APP, image } }),
        `[test/web] container.image ${JSON.stringify(image)} is not an image reference a container runtime can pull: ${problem}. Fix: `
        + 'write it as [registry/]repository[:tag][@digest] with a lowercase repository, e.g. "registry.example.com/team/app:1.2.3".'] as Row),
  ],

  'messages that name the setting': [
    ['an ExternalName Service in front of a workload', web({ service: { type: kplus.ServiceType.EXTERNAL_NAME } }),
      '[test/web] service.type "ExternalName" names an outside host and selects no Pods, so it cannot front this workload. Fix: use '
      + 'CLUSTER_IP, NODE_PORT or LOAD_BALANCER here, and ExternalService.fromHostname(...) for a service outside the cluster.'],
    ['a duplicate port', web({ container: { ...APP, ports: [{ number: 8080, name: 'http' }, { number: 8080 }] } }),
      '[test/web] container declares port 8080/TCP twice (got ports [8080,8080]). Fix: declare each port once.'],
    ['a port repeating portNumber', web({ container: { ...APP, portNumber: 8080 } }),
      '[test/web] container declares port 8080/TCP twice (got ports [8080] and portNumber 8080). Fix: declare each port once.'],
    ['a duplicate port name', web({ container: { ...APP, ports: [{ number: 8080, name: 'http' }, { number: 8081, name: 'http' }] } }),
      '[test/web] container declares the port name "http" twice. Fix: give each port a distinct name.'],
    ['a context kubernetesVersion with a patch number', () => {
      const chart = newChart({ 'cdk8s-container-patterns/kubernetesVersion': '1.29.3' });
      return new StatelessService(chart, 'web', { container: APP });
    }, '[test/web] the context value cdk8s-container-patterns/kubernetesVersion must be a version like "1.29" (got "1.29.3"). Fix: set '
      + 'the context key cdk8s-container-patterns/kubernetesVersion to the major and minor version only, e.g. "1.29" (not "1.29.3" or '
      + '"v1.29"), with app.node.setContext on the App before adding charts.'],
  ],

  'security overrides': [
    ['a privileged main container', web({ container: { ...APP, securityContext: { user: 10001, privileged: true } } }),
      atSynth('[test/web] container "app" sets securityContext.privileged: true, which gives it every capability and device of the '
      + 'node; the Pod then fails the Pod Security Standards "baseline" profile. Fix: remove the setting, or accept it with '
      + 'securityExceptions: [PodSecurityException.PRIVILEGED] and run the workload in a namespace that allows it.')],
    ['a main container that allows privilege escalation', web({ container: { ...APP, securityContext: { user: 10001, allowPrivilegeEscalation: true } } }),
      atSynth('[test/web] container "app" sets securityContext.allowPrivilegeEscalation: true, which lets a setuid binary gain '
      + 'privileges the process did not start with; the Pod then fails the Pod Security Standards "restricted" profile. Fix: remove '
      + 'the setting, or accept it with securityExceptions: [PodSecurityException.PRIVILEGE_ESCALATION] and run the workload in a '
      + 'namespace that allows it.')],
    ['runAsUser 0 at Pod level', inChart(c => {
      const svc = new StatelessService(c, 'web', { container: APP });
      ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/runAsUser', 0));
      return synth(c);
    }),
    atSynth('[test/web] the Pod sets securityContext.runAsUser: 0, which runs the processes as root; the Pod then fails the Pod '
      + 'Security Standards "restricted" profile. Fix: remove the setting and give a numeric non-root user; only the main container '
      + 'may run as root, with runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY.')],
    ['an added capability', web({ container: { ...APP, securityContext: { user: 10001, capabilities: { add: [kplus.Capability.NET_ADMIN] } } } }),
      atSynth('[test/web] container "app" sets securityContext.capabilities.add ["CAP_NET_ADMIN"], which grants privileges beyond '
      + 'those of an unprivileged process; the Pod then fails the Pod Security Standards "restricted" profile. Fix: remove the '
      + 'setting, or accept it with securityExceptions: [PodSecurityException.ADDED_CAPABILITIES] and run the workload in a '
      + 'namespace that allows it.')],
    ['hostNetwork', patched('/spec/template/spec/hostNetwork'),
      atSynth('[test/web] the Pod sets hostNetwork: true, which shares the node\'s network namespace, past NetworkPolicies; the Pod '
      + 'then fails the Pod Security Standards "baseline" profile. Fix: remove the setting, or accept it with securityExceptions: '
      + '[PodSecurityException.HOST_NETWORK] and run the workload in a namespace that allows it.')],
    ['hostPID', patched('/spec/template/spec/hostPid'),
      atSynth('[test/web] the Pod sets hostPID: true, which shows the Pod every process of the node; the Pod then fails the Pod '
      + 'Security Standards "baseline" profile. Fix: remove the setting, or accept it with securityExceptions: '
      + '[PodSecurityException.HOST_PID] and run the workload in a namespace that allows it.')],
    ['hostIPC', patched('/spec/template/spec/hostIpc'),
      atSynth('[test/web] the Pod sets hostIPC: true, which shares the node\'s IPC and shared memory; the Pod then fails the Pod '
      + 'Security Standards "baseline" profile. Fix: remove the setting, or accept it with securityExceptions: '
      + '[PodSecurityException.HOST_IPC] and run the workload in a namespace that allows it.')],
    ...['/', '/etc', '/proc', '/sys', '/var/lib/kubelet'].map(p => [`the node path ${p}`, agentWith(p),
      `[test/agent] host path ${JSON.stringify(p)} exposes the node's credentials, kernel interfaces or container runtime sockets `
      + 'to the agent. Fix: mount only the directories the agent reads (e.g. "/var/log/pods"), or accept that the agent controls '
      + 'the node with securityExceptions: [PodSecurityException.SENSITIVE_HOST_PATH].'] as Row),
    ...['/run/containerd/containerd.sock', '/var/run/docker.sock', '/var/run/crio/crio.sock'].map(p => [`the runtime socket ${p}`, agentWith(p),
      `[test/agent] host path ${JSON.stringify(p)} is a container runtime socket: any process that can open it, read-only `
      + 'mount or not, drives the runtime and can start a privileged container on the node. Fix: mount only the directories the '
      + 'agent reads (e.g. "/var/log/pods"), or accept that the agent controls the node with securityExceptions: '
      + '[PodSecurityException.SENSITIVE_HOST_PATH].'] as Row),
  ],

  'secrets in plaintext': [
    ...['AWS_SECRET_ACCESS_KEY', 'SECRET_KEY_BASE', 'db.password'].map(name => [`EnvConfig variable ${name}`,
      inChart(c => new EnvConfig(c, 'env', { variables: [{ name, value: 'hunter2' }] })),
      `[test/env] variable ${name} looks like a secret, but an EnvConfig is a ConfigMap, readable by anyone who can read the app's `
      + `manifests. Fix: keep the value in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", "${name.toLowerCase()}").envValue()).`] as Row),
    ['an EnvConfig URL with credentials', inChart(c => new EnvConfig(c, 'env', { variables: [{ name: 'DATABASE_URL', value: 'postgres://user:pass@host/db' }] })),
      '[test/env] variable DATABASE_URL: its value is a URL with a password ("postgres://user:****@host/db"), but an EnvConfig is a '
      + 'ConfigMap, readable by anyone who can read the app\'s manifests. Fix: keep the URL (or its password) in a Secret and read it '
      + 'with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", "database_url").envValue()).'],
    ...['AWS_SECRET_ACCESS_KEY', 'SECRET_KEY_BASE', 'db.password'].map(name => [`main container env ${name}`,
      web({ container: { ...APP, envVariables: { [name]: kplus.EnvValue.fromValue('hunter2') } } }),
      atSynth(`[test/web] main container "app" sets env var ${name} to a literal value: its name ${JSON.stringify(name)} looks like a `
      + 'secret, and the value ends up in the manifest, in Git and in every reader of the object. Fix: keep it in a Secret and read '
      + `it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", "${name.toLowerCase().replace(/_/g, '-')}").envValue()).`)] as Row),
    ['a main container URL with credentials', web({ container: { ...APP, envVariables: { DATABASE_URL: kplus.EnvValue.fromValue('postgres://user:pass@host/db') } } }),
      atSynth('[test/web] main container "app" sets env var DATABASE_URL to a literal value: its value is a URL with a password '
      + '("postgres://user:****@host/db"), and the value ends up in the manifest, in Git and in every reader of the object. Fix: '
      + 'keep it in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", "database-url").envValue()).')],
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
      '[Ambassador "ambassador"] upstream host "redis" is a single-label name. The proxy resolves names through the Pod\'s DNS server '
      + 'without the Pod\'s search list, so it would never resolve. Fix: use the fully qualified name, e.g. '
      + '"redis.<namespace>.svc.cluster.local".'],
    ['an ExternalName pointing at an IP address', inChart(c => ExternalService.fromHostname(c, 'ext', { hostname: '10.0.0.7', ports: [{ name: 'pg', port: 5432 }] })),
      '[test/ext] hostname "10.0.0.7" is an IP address, but an ExternalName Service only works with a DNS name (cluster DNS answers '
      + 'with a CNAME). Fix: use ips: ["10.0.0.7"] instead.'],
    ['a reloader that would signal itself', () => ReloadAction.signal({ processName: 'sh' }),
      '[ReloadAction.signal] processName "sh" is also a process of the reloader, which would signal itself instead of the app. '
      + 'Fix: use the name of the app\'s executable.'],
    ['a WaitFor interval longer than its timeout', () => new WaitFor({ endpoints: redis(), timeout: Duration.seconds(5), interval: Duration.seconds(10) }),
      '[WaitFor "wait-for"] interval (got 10 seconds) is longer than timeout (got 5 seconds), so the step would sleep past its '
      + 'deadline after the first failed attempt. Fix: use an interval no longer than the timeout, e.g. interval: Duration.seconds(2).'],
    ['a WaitFor host that nc would take as an option', () => new WaitFor({ endpoints: [{ host: '-e', port: 6379, url: '-e:6379' }] }),
      '[WaitFor "wait-for"] endpoints[0] host must be a DNS name or an IP address (got "-e"). '
      + 'Fix: use a name like "db.prod.svc.cluster.local" or an address like "10.0.0.7".'],
    ['a signal reloader running as another user than the app', reloader({ ...APP, securityContext: { user: 101, group: 101 } }, 65532),
      '[test/web/config-reloader] the signal action\'s user (got 65532) differs from the user of '
      + 'the main container "app" (101): the kernel lets a process signal only processes of its own user, so every reload would '
      + 'fail. Fix: pass user: 101, or leave user unset to take the main container\'s.'],
    ['a signal reloader for an app running as root', reloaderAsRoot(),
      '[test/web/config-reloader] a signal action needs the reloader to run as the app\'s user, '
      + 'but the main container "app" runs as root (got user 0) and the reloader never does, so the kernel would refuse every '
      + 'signal. Fix: run the app as a non-root user, or reload it with ReloadAction.httpPost.'],
    ['noStartingDeadline with a starting deadline', inChart(c => new ScheduledTask(c, 'task', {
      container: TASK, schedule: Cron.daily(), noStartingDeadline: true, startingDeadline: Duration.seconds(30),
    })), '[test/task] noStartingDeadline contradicts startingDeadline (got 30 seconds). Fix: drop one of them.'],
    ['a CronJob starting deadline under 10 seconds', inChart(c => new ScheduledTask(c, 'task', { container: TASK, schedule: Cron.daily(), startingDeadline: Duration.seconds(5) })),
      '[test/task] startingDeadline must be at least 10 seconds (got 5 seconds): the CronJob controller checks schedules every 10 '
      + 'seconds, so a shorter deadline can miss runs. Fix: use Duration.seconds(10) or more.'],
  ],
};

const ROWS: [string, string, () => unknown, string][] = Object.entries(CATALOGUE)
  .flatMap(([area, rows]) => rows.map(([name, fn, message]) => [area, name, fn, message] as [string, string, () => unknown, string]));

/** Rows whose error cdk8s raises in the caller's own code, before the library sees the value. */
const RAISED_BY_CDK8S = new Set(['a negative size']);

describe('bad-input catalogue', () => {
  test('has at least 40 rows across every area', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    for (const rows of Object.values(CATALOGUE)) expect(rows.length).toBeGreaterThan(0);
  });

  test('every row has its own message', () => {
    const messages = ROWS.map(r => r[3]);
    expect(messages.filter((m, i) => messages.indexOf(m) !== i)).toEqual([]);
  });

  test.each(ROWS.filter(([, name]) => !RAISED_BY_CDK8S.has(name)))('%s: the message for %s names a fix', (_area, _name, _build, message) => {
    expect(message).toMatch(/ Fix: \S/);
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

  test('an ExternalName service type fails before the first of two charts is written', () => {
    // GIVEN a real app: a sound chart first, then a workload exposed as ExternalName, which cdk8s-plus only refuses while writing
    const dir = outdir();
    const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new StatelessService(new Chart(app, 'sound'), 'web', { container: APP });
    // WHEN / THEN
    expect(errorOf(() => {
      new StatelessService(new Chart(app, 'broken'), 'web', { container: APP, service: { type: kplus.ServiceType.EXTERNAL_NAME } });
      app.synth();
    })).toBe('[broken/web] service.type "ExternalName" names an outside host and selects no Pods, so it cannot front this workload. '
      + 'Fix: use CLUSTER_IP, NODE_PORT or LOAD_BALANCER here, and ExternalService.fromHostname(...) for a service outside the cluster.');
    expect(filesIn(dir)).toEqual([]);
  });

  test('a workload object that cannot be rendered fails at validation, before the first of two charts is written', () => {
    // GIVEN a sound chart, then a workload whose escape-hatch patch replaces a field that does not exist
    const dir = outdir();
    const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new StatelessService(new Chart(app, 'sound'), 'web', { container: APP });
    const broken = new StatelessService(new Chart(app, 'broken'), 'web', { container: APP });
    ApiObject.of(broken.deployment).addJsonPatch(JsonPatch.replace('/spec/strategy/nonexistent/field', 1));
    // WHEN
    const message = errorOf(() => app.synth());
    // THEN the render error is a validation error with the construct path, and nothing is written
    expect(message).toMatch(/^Validation failed with the following errors:\n {2}\[broken\/web\] the Deployment cannot be rendered: /);
    expect(message).toContain('Fix: correct the prop or the escape-hatch JSON patch of the Deployment that the message names.');
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
    ['an invalid env var name on an exporter', () => new ExporterAdapter({
      image: 'oliver006/redis_exporter:v1.62.0', port: 9121, env: [{ name: 'BAD NAME', value: kplus.EnvValue.fromValue('x') }],
    }), `[ExporterAdapter "exporter"] ${ENV_NAME('env var name', 'BAD NAME')}`],
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
