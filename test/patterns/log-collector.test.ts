/**
 * fluent-bit cannot run in the test environment, so the rendered
 * configuration is checked structurally: it is parsed as YAML and its tail
 * input, position database and outputs are asserted per destination.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import {
  Endpoint, KubernetesVersion, LogCollector, LogCollectorProps, LogDestination, LogFormat, MultilineParser, SecretKeyRef,
  SidecarMode, StatelessService,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'registry.example.com/app:2.4.1', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const ES = Endpoint.of('es.example.com', 9200, { scheme: 'https' });
const HASH = 'container-patterns.cdk8s.io/config-hash';

function render(props: LogCollectorProps, extra: { sidecarMode?: SidecarMode; kubernetesVersion?: KubernetesVersion } = {}) {
  const chart = newChart();
  new StatelessService(chart, 'web', { container: APP, patterns: [new LogCollector(props)], ...extra });
  const manifests = synth(chart);
  const deployment = only(manifests, 'Deployment');
  const spec = podSpec(deployment);
  const configMap = only(manifests, 'ConfigMap');
  return {
    manifests,
    spec,
    annotations: deployment.spec.template.metadata.annotations ?? {},
    configMap,
    config: parse(configMap.data['fluent-bit.yaml']),
    collector: [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === (props.name ?? 'log-collector')),
    app: spec.containers.find((c: any) => c.name === 'app'),
  };
}

function secretRef(chart: ReturnType<typeof newChart> | undefined, name: string, key: string): SecretKeyRef {
  return SecretKeyRef.of(chart ?? newChart(), name, key);
}

describe('LogCollector', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() })],
    });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the log directory is a shared volume: read-write in the app, read-only in the collector', () => {
    // GIVEN / WHEN
    const { spec, app, collector } = render({ logDir: '/var/log/app', destination: LogDestination.stdout() });
    // THEN
    expect(app.volumeMounts).toEqual([{ name: 'log-collector-logs', mountPath: '/var/log/app' }]);
    expect(collector.volumeMounts).toEqual([
      { name: 'log-collector-logs', mountPath: '/var/log/app', readOnly: true },
      { name: 'log-collector-state', mountPath: '/fluent-bit/state' },
      { name: 'log-collector-config', mountPath: '/fluent-bit/config', readOnly: true },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'log-collector-logs', emptyDir: {} },
      { name: 'log-collector-state', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'log-collector-config', configMap: { name: expect.stringMatching(/^test-web-log-collector-config-/) } },
    ]);
  });

  test('the collector is a small, hardened fluent-bit reading the mounted YAML config', () => {
    // GIVEN / WHEN
    const { collector } = render({ logDir: '/var/log/app', destination: LogDestination.stdout() });
    // THEN
    expect(collector.image).toBe('cr.fluentbit.io/fluent/fluent-bit:3.2.10');
    expect(collector.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/config/fluent-bit.yaml']);
    expect(collector.resources).toEqual({ limits: { cpu: '200m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
    expect(collector.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(collector.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
  });

  test('the config tails the log files and keeps its position database on the state volume', () => {
    // GIVEN / WHEN
    const { config, collector } = render({ logDir: '/var/log/app/', filePattern: 'access-*.log', destination: LogDestination.stdout() });
    // THEN
    expect(config.service).toEqual({ flush: 1, log_level: 'info', http_server: 'off' });
    expect(config.pipeline.inputs).toEqual([{
      'name': 'tail',
      'tag': 'app',
      'path': '/var/log/app/access-*.log',
      'path_key': 'file',
      'db': '/fluent-bit/state/tail.db',
      'db.locking': 'on',
      'read_from_head': 'on',
      'refresh_interval': 5,
      'skip_long_lines': 'on',
      'mem_buf_limit': '16MB',
    }]);
    // the database lies on the writable state volume, not on the read-only root filesystem
    const stateMount = collector.volumeMounts.find((m: any) => m.name === 'log-collector-state');
    expect(config.pipeline.inputs[0].db.startsWith(stateMount.mountPath + '/')).toBe(true);
    expect(stateMount.readOnly).toBeUndefined();
    expect(config.parsers).toBeUndefined();
  });

  test('records carry the Pod name, namespace and container by default', () => {
    // GIVEN / WHEN
    const { config } = render({ logDir: '/var/log/app', destination: LogDestination.stdout() });
    // THEN
    expect(config.pipeline.filters).toEqual([{
      name: 'record_modifier',
      match: '*',
      record: ['pod_name ${POD_NAME}', 'namespace ${POD_NAMESPACE}', 'container app'],
    }]);
  });

  test('addPodMetadata: false renders no filters', () => {
    const { config } = render({ logDir: '/var/log/app', destination: LogDestination.stdout(), addPodMetadata: false });
    expect(config.pipeline.filters).toBeUndefined();
    expect(Object.keys(config.pipeline)).toEqual(['inputs', 'outputs']);
  });

  test('JSON lines are parsed with a parser declared in the config', () => {
    // GIVEN / WHEN
    const { config } = render({ logDir: '/var/log/app', destination: LogDestination.stdout(), format: LogFormat.JSON, multiline: MultilineParser.JAVA });
    // THEN
    expect(config.parsers).toEqual([{ name: 'app-json', format: 'json' }]);
    expect(config.pipeline.filters[0]).toEqual({ name: 'parser', match: '*', key_name: 'log', parser: 'app-json', reserve_data: 'on' });
    expect(config.pipeline.filters[1].name).toBe('record_modifier');
    expect(config.pipeline.inputs[0]['multiline.parser']).toBe('java');
  });

  describe('destinations', () => {
    test('stdout', () => {
      const { config } = render({ logDir: '/var/log/app', destination: LogDestination.stdout() });
      expect(config.pipeline.outputs).toEqual([{ name: 'stdout', match: '*', format: 'json_lines' }]);
    });

    test('elasticsearch, with the password taken from an existing Secret by reference', () => {
      // GIVEN
      const chart = newChart();
      const password = secretRef(chart, 'es-creds', 'password');
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new LogCollector({
          logDir: '/var/log/app',
          destination: LogDestination.elasticsearch({ endpoint: ES, index: 'app-logs', user: 'shipper', password }),
        })],
      });
      const manifests = synth(chart);
      const config = parse(only(manifests, 'ConfigMap').data['fluent-bit.yaml']);
      const collector = podSpec(only(manifests, 'Deployment')).containers[1];
      // THEN the config names the variable ...
      expect(config.pipeline.outputs).toEqual([{
        'name': 'es',
        'match': '*',
        'host': 'es.example.com',
        'port': 9200,
        'index': 'app-logs',
        'suppress_type_name': 'on',
        'trace_error': 'on',
        'http_user': 'shipper',
        'http_passwd': '${FLB_ES_PASSWORD}',
        'tls': 'on',
        'tls.verify': 'on',
      }]);
      // ... the collector reads it from the Secret ...
      expect(collector.env).toContainEqual({ name: 'FLB_ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-creds', key: 'password' } } });
      // ... and no Secret object is created by the library
      expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    });

    test('elasticsearch without TLS on a plain http endpoint, or without verification', () => {
      const plain = LogDestination.elasticsearch({ endpoint: Endpoint.of('es', 9200), index: 'logs' });
      const unverified = LogDestination.elasticsearch({ endpoint: ES, index: 'logs', tlsVerify: false });
      expect(render({ logDir: '/var/log/app', destination: plain }).config.pipeline.outputs[0]).toMatchObject({ tls: 'off', host: 'es' });
      expect(render({ logDir: '/var/log/app', destination: plain }).config.pipeline.outputs[0]['tls.verify']).toBeUndefined();
      expect(render({ logDir: '/var/log/app', destination: unverified }).config.pipeline.outputs[0]).toMatchObject({ 'tls': 'on', 'tls.verify': 'off' });
    });

    test('loki, with labels, tenant and basic auth', () => {
      // GIVEN
      const destination = LogDestination.loki({
        endpoint: Endpoint.of('loki-gateway.monitoring', 3100, { scheme: 'http' }),
        labels: [{ name: 'app', value: 'web' }, { name: 'pod', value: '$pod_name' }],
        tenantId: 'team-a',
        user: 'team-a',
        password: secretRef(undefined, 'loki-creds', 'password'),
      });
      // WHEN
      const { config, collector } = render({ logDir: '/var/log/app', destination });
      // THEN
      expect(destination.plugin).toBe('loki');
      expect(config.pipeline.outputs).toEqual([{
        name: 'loki',
        match: '*',
        host: 'loki-gateway.monitoring',
        port: 3100,
        labels: 'app=web, pod=$pod_name',
        tenant_id: 'team-a',
        line_format: 'json',
        http_user: 'team-a',
        http_passwd: '${FLB_LOKI_PASSWORD}',
        tls: 'off',
      }]);
      expect(collector.env).toContainEqual({ name: 'FLB_LOKI_PASSWORD', valueFrom: { secretKeyRef: { name: 'loki-creds', key: 'password' } } });
    });

    test('forward, with a shared key from a Secret', () => {
      // GIVEN
      const destination = LogDestination.forward({
        endpoint: Endpoint.of('fluentd.logging', 24224),
        sharedKey: secretRef(undefined, 'fluentd', 'shared-key'),
        tls: true,
      });
      // WHEN
      const { config, collector } = render({ logDir: '/var/log/app', destination });
      // THEN
      expect(config.pipeline.outputs).toEqual([{
        'name': 'forward',
        'match': '*',
        'host': 'fluentd.logging',
        'port': 24224,
        'shared_key': '${FLB_FORWARD_SHARED_KEY}',
        'self_hostname': '${POD_NAME}',
        'tls': 'on',
        'tls.verify': 'on',
      }]);
      expect(collector.env).toContainEqual({ name: 'FLB_FORWARD_SHARED_KEY', valueFrom: { secretKeyRef: { name: 'fluentd', key: 'shared-key' } } });
    });

    test('fails when a shared key is given as a Secret value struct instead of a SecretKeyRef', () => {
      const chart = newChart();
      const struct = { secret: kplus.Secret.fromSecretName(chart, 's', 'fluentd'), key: 'shared-key' };
      expect(errorOf(() => LogDestination.forward({ endpoint: ES, sharedKey: struct as any }))).toBe(
        '[LogDestination.forward] sharedKey must be a SecretKeyRef to a key of an existing Secret (got an object that is not a '
        + 'SecretKeyRef); secrets are never written into manifests. Fix: pass SecretKeyRef.of(this, "my-secret", "shared-key").');
    });

    test('fails when a password is given as a plain string', () => {
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'logs', user: 'elastic', password: 'hunter2' as any }))).toBe(
        '[LogDestination.elasticsearch] password must be a SecretKeyRef to a key of an existing Secret (got a plain string); '
        + 'secrets are never written into manifests. Fix: pass SecretKeyRef.of(this, "my-secret", "password").');
    });

    test('fails when a password is given without a user', () => {
      expect(errorOf(() => LogDestination.loki({ endpoint: ES, password: secretRef(undefined, 'loki', 'password') }))).toBe(
        '[LogDestination.loki] password was given without user (got user undefined). Fix: pass user as well, or drop password.');
    });

    test('fails when a user is given without a password', () => {
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'logs', user: 'elastic' }))).toBe(
        '[LogDestination.elasticsearch] user "elastic" was given without password. Fix: pass password as a SecretKeyRef to an '
        + 'existing Secret key, or drop user.');
    });

    test('fails when the index is not a valid index name', () => {
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'App Logs' }))).toBe(
        '[LogDestination.elasticsearch] index must be a lowercase Elasticsearch index name: letters, digits, \'.\', \'_\' or \'-\', '
        + 'starting with a letter or digit (got "App Logs"). Fix: use a name like "app-logs".');
    });

    test('fails when a Loki label value contains a comma', () => {
      expect(errorOf(() => LogDestination.loki({ endpoint: ES, labels: [{ name: 'app', value: 'a,b' }] }))).toBe(
        '[LogDestination.loki] value of label "app" must be non-empty, without \',\', \'=\', \'"\' or whitespace (got "a,b"). '
        + 'Fix: use a value like "web" or a record accessor like "$pod_name".');
    });

    test('fails when the endpoint is missing', () => {
      expect(errorOf(() => LogDestination.forward({} as any))).toBe(
        '[LogDestination.forward] endpoint is required (got undefined). '
        + 'Fix: pass a service of this app, an ExternalService, or Endpoint.of(host, port).');
    });

    test('fails when the endpoint\'s port is out of range', () => {
      const endpoint = { host: 'es.example.com', port: 0, url: 'es.example.com:0' };
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint, index: 'logs' }))).toBe(
        '[LogDestination.elasticsearch] endpoint port must be an integer between 1 and 65535 (got 0). '
        + 'Fix: give the port the destination listens on, e.g. 9200 for Elasticsearch.');
    });

    test('fails when the endpoint\'s host is not one host name (an environment variable, a list, an option)', () => {
      const endpoint = (host: string) => ({ host, port: 3100, url: `${host}:3100` });
      for (const host of ['${FLB_LOKI_PASSWORD}.example.com', 'loki-a,loki-b', '-loki', 'loki gateway', '[loki]', '']) {
        expect(errorOf(() => LogDestination.loki({ endpoint: endpoint(host) }))).toBe(
          `[LogDestination.loki] endpoint host must be a DNS name or an IP address (got ${JSON.stringify(host)}); `
          + 'fluent-bit connects to it as written. Fix: pass a service of this app, an ExternalService, or Endpoint.of(host, port).');
      }
    });

    test('host names and IP addresses reach the output as written; an IPv6 address without its URL brackets', () => {
      const hosts: [string, string][] = [
        ['loki', 'loki'],
        ['loki-gateway.monitoring.svc.cluster.local', 'loki-gateway.monitoring.svc.cluster.local'],
        ['10.0.0.12', '10.0.0.12'],
        ['fd00::12', 'fd00::12'],
        ['[fd00::12]', 'fd00::12'],
      ];
      for (const [host, rendered] of hosts) {
        const { config } = render({ logDir: '/var/log/app', destination: LogDestination.loki({ endpoint: Endpoint.of(host, 3100) }) });
        expect(config.pipeline.outputs[0].host).toBe(rendered);
      }
    });
  });

  describe('every value that reaches fluent-bit is the literal value given', () => {
    /** The message fluent-bit's ${VAR} expansion gets, for a value named `what`. */
    const EXPANDS = (what: string, value: string, fix: string) => `${what} contains "\${" (got ${JSON.stringify(value)}); `
      + 'fluent-bit replaces ${NAME} in every configuration value with the environment variable NAME of the collector and has no '
      + 'escape for it, so the value would not arrive as written and could reveal a secret the collector holds, such as its '
      + `password. Fix: ${fix}`;
    const LOG_DIR_FIX = 'log to a directory whose path is plain, e.g. "/var/log/app", and choose the files with filePattern.';
    const LABEL_FIX = 'use a value like "web" or a record accessor like "$pod_name".';
    const USER_FIX = 'use the user name the destination knows, e.g. "log-shipper".';
    const LOKI = Endpoint.of('loki', 3100);

    /** Every string of a parsed config, with where it is. */
    function strings(value: unknown, where = ''): [string, string][] {
      if (typeof value === 'string') return [[where, value]];
      if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
      if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${where}.${k}`));
      return [];
    }

    test('fails when logDir contains a comma: fluent-bit would tail a second path', () => {
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/app,/etc', destination: LogDestination.stdout() }))).toBe(
        '[LogCollector "log-collector"] logDir must not contain \',\', \'*\', \'?\', \'[\', \']\' or \'\\\' (got "/var/log/app,/etc"); '
        + 'fluent-bit reads the tail path as a comma-separated list of glob patterns, so the collector would tail other files than '
        + `the ones the app writes. Fix: ${LOG_DIR_FIX}`);
    });

    test('fails when logDir contains a glob character or a glob escape', () => {
      for (const logDir of ['/var/log/*', '/var/log/app?', '/var/log/[app]', '/var/log/app]', '/var/log/a\\pp']) {
        expect(errorOf(() => new LogCollector({ logDir, destination: LogDestination.stdout() }))).toBe(
          '[LogCollector "log-collector"] logDir must not contain \',\', \'*\', \'?\', \'[\', \']\' or \'\\\' '
          + `(got ${JSON.stringify(logDir)}); fluent-bit reads the tail path as a comma-separated list of glob patterns, so the `
          + `collector would tail other files than the ones the app writes. Fix: ${LOG_DIR_FIX}`);
      }
    });

    test('fails when logDir contains ${', () => {
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/${HOSTNAME}', destination: LogDestination.stdout() }))).toBe(
        `[LogCollector "log-collector"] ${EXPANDS('logDir', '/var/log/${HOSTNAME}', LOG_DIR_FIX)}`);
    });

    test('fails when logDir contains a line break: it would add a setting of its own', () => {
      const logDir = '/var/log/app\n      exclude_path: /var/log/app/*.log';
      expect(errorOf(() => new LogCollector({ logDir, destination: LogDestination.stdout() }))).toBe(
        `[LogCollector "log-collector"] logDir contains a control character (got ${JSON.stringify(logDir)}); fluent-bit would not `
        + `read it as one value. Fix: ${LOG_DIR_FIX}`);
    });

    test('fails when filePattern contains ${ or a control character', () => {
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', filePattern: '${POD_NAME}.log', destination: LogDestination.stdout() })))
        .toBe(`[LogCollector "log-collector"] ${EXPANDS('filePattern', '${POD_NAME}.log', 'use a pattern like "*.log".')}`);
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', filePattern: 'app\u0000.log', destination: LogDestination.stdout() })))
        .toBe('[LogCollector "log-collector"] filePattern contains a control character (got "app\\u0000.log"); fluent-bit would not '
          + 'read it as one value. Fix: use a pattern like "*.log".');
    });

    test('fails when a Loki label value is an environment variable: it would publish the password as a label', () => {
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, labels: [{ name: 'leak', value: '${FLB_LOKI_PASSWORD}' }] }))).toBe(
        `[LogDestination.loki] ${EXPANDS('value of label "leak"', '${FLB_LOKI_PASSWORD}', LABEL_FIX)}`);
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, labels: [{ name: 'host', value: 'node-${HOSTNAME}' }] }))).toBe(
        `[LogDestination.loki] ${EXPANDS('value of label "host"', 'node-${HOSTNAME}', LABEL_FIX)}`);
    });

    test('fails when a Loki label value would add a second label', () => {
      for (const value of ['web,job=x', 'a=b', 'web job=x']) {
        expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, labels: [{ name: 'app', value }] }))).toBe(
          '[LogDestination.loki] value of label "app" must be non-empty, without \',\', \'=\', \'"\' or whitespace '
          + `(got ${JSON.stringify(value)}). Fix: use a value like "web" or a record accessor like "$pod_name".`);
      }
      // a second label carrying the password is refused for the variable first
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, labels: [{ name: 'app', value: 'web,leak=${FLB_LOKI_PASSWORD}' }] }))).toBe(
        `[LogDestination.loki] ${EXPANDS('value of label "app"', 'web,leak=${FLB_LOKI_PASSWORD}', LABEL_FIX)}`);
    });

    test('fails when a label name is not a plain name', () => {
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, labels: [{ name: '${X}', value: 'web' }] }))).toBe(
        '[LogDestination.loki] label name must be letters, digits and \'_\', not starting with a digit (got "${X}"). '
        + 'Fix: use a name like "app".');
    });

    test('fails when a basic-auth user contains ${ or a control character', () => {
      const password = secretRef(undefined, 'creds', 'password');
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, user: '${FLB_LOKI_PASSWORD}', password }))).toBe(
        `[LogDestination.loki] ${EXPANDS('user', '${FLB_LOKI_PASSWORD}', USER_FIX)}`);
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'logs', user: 'shipper\u001b', password }))).toBe(
        '[LogDestination.elasticsearch] user contains a control character (got "shipper\\u001b"); fluent-bit would not read it '
        + `as one value. Fix: ${USER_FIX}`);
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'logs', user: 'ship:per', password }))).toBe(
        `[LogDestination.elasticsearch] user must be a non-empty user name without whitespace or ':' (got "ship:per"). Fix: ${USER_FIX}`);
    });

    test('fails when the tenant or the index holds ${', () => {
      expect(errorOf(() => LogDestination.loki({ endpoint: LOKI, tenantId: '${TENANT}' }))).toBe(
        '[LogDestination.loki] tenantId must be a Loki tenant id: letters, digits and !-_.*\'() (got "${TENANT}"). '
        + 'Fix: use an id like "team-a".');
      expect(errorOf(() => LogDestination.elasticsearch({ endpoint: ES, index: 'logs-${POD_NAME}' }))).toBe(
        '[LogDestination.elasticsearch] index must be a lowercase Elasticsearch index name: letters, digits, \'.\', \'_\' or \'-\', '
        + 'starting with a letter or digit (got "logs-${POD_NAME}"). Fix: use a name like "app-logs".');
    });

    test('fails when multiline is not one built-in parser (fluent-bit reads a list there)', () => {
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), multiline: 'java,go' as any }))).toBe(
        '[LogCollector "log-collector"] multiline must be a MultilineParser (got "java,go"). '
        + 'Fix: use MultilineParser.JAVA, MultilineParser.GO or MultilineParser.PYTHON, or omit it.');
    });

    test('fails when format is not a LogFormat', () => {
      expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), format: 'logfmt' as any }))).toBe(
        '[LogCollector "log-collector"] format must be a LogFormat (got "logfmt"). Fix: use LogFormat.PLAIN or LogFormat.JSON.');
    });

    test('values YAML would read as something else arrive as the same strings', () => {
      // GIVEN values that are booleans, numbers, nulls, comments, anchors, tags or flow collections to a YAML reader
      const tricky = ['null', 'true', 'yes', 'off', '0x1F', '1e3', '012', '#web', '*', '-', '&a', '!tag', '%x', '@x', '\'q\'', '[a]', '{b}', '|', '>', '?', '~', ':'];
      const destination = LogDestination.loki({
        endpoint: LOKI,
        labels: tricky.map((value, i) => ({ name: `l${i}`, value })),
        tenantId: '*team.a!\'()',
        user: 'a#b$c{d}',
        password: secretRef(undefined, 'creds', 'password'),
      });
      const logDir = '/var/log/my app/#1: {x} & $y/~z';
      // WHEN
      const { config } = render({ logDir, filePattern: 'app-[0-9]?.log', destination });
      // THEN every value is the string given
      expect(config.pipeline.inputs[0].path).toBe('/var/log/my app/#1: {x} & $y/~z/app-[0-9]?.log');
      expect(config.pipeline.outputs[0]).toMatchObject({
        labels: tricky.map((value, i) => `l${i}=${value}`).join(', '),
        tenant_id: '*team.a!\'()',
        http_user: 'a#b$c{d}',
      });
    });

    test('the only ${...} in the config are the collector\'s own variables', () => {
      // GIVEN every destination with every value it takes
      const password = secretRef(undefined, 'creds', 'password');
      const destinations = [
        LogDestination.elasticsearch({ endpoint: ES, index: 'app-logs', user: 'u$er', password }),
        LogDestination.loki({ endpoint: LOKI, labels: [{ name: 'pod', value: '$pod_name' }], tenantId: 't', user: 'u$er', password }),
        LogDestination.forward({ endpoint: Endpoint.of('fluentd', 24224), sharedKey: secretRef(undefined, 'fluentd', 'key') }),
        LogDestination.stdout(),
      ];
      for (const destination of destinations) {
        // WHEN
        const { config, collector } = render({ logDir: '/var/log/$app', filePattern: '$x*.log', destination, format: LogFormat.JSON, multiline: MultilineParser.GO });
        // THEN each ${NAME} names a variable the collector is given, from the downward API or a Secret
        const env = new Set(collector.env.map((e: any) => e.name));
        const references = strings(config).flatMap(([, v]) => [...v.matchAll(/\$\{([^}]*)\}/g)].map(m => m[1]));
        expect(references.length).toBeGreaterThanOrEqual(2);
        for (const name of references) expect(env.has(name)).toBe(true);
        expect(collector.env.filter((e: any) => e.value !== undefined)).toEqual([]);
      }
    });
  });

  test('the config hash annotation changes when the config changes, and only then', () => {
    // GIVEN three Pods: two with the same config, one with another index
    const a = render({ logDir: '/var/log/app', destination: LogDestination.elasticsearch({ endpoint: ES, index: 'app-logs' }) });
    const b = render({ logDir: '/var/log/app', destination: LogDestination.elasticsearch({ endpoint: ES, index: 'app-logs' }) });
    const c = render({ logDir: '/var/log/app', destination: LogDestination.elasticsearch({ endpoint: ES, index: 'app-logs-v2' }) });
    // THEN
    expect(a.annotations[HASH]).toMatch(/^[0-9a-f]{16}$/);
    expect(b.annotations[HASH]).toBe(a.annotations[HASH]);
    expect(c.annotations[HASH]).not.toBe(a.annotations[HASH]);
  });

  test('CLASSIC: the collector is an app container', () => {
    const { spec } = render({ logDir: '/var/log/app', destination: LogDestination.stdout() });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-collector']);
    expect(spec.initContainers).toBeUndefined();
  });

  test('NATIVE: the collector is an always-restarting init container with the same mounts', () => {
    // GIVEN / WHEN
    const { spec, collector, app } = render(
      { logDir: '/var/log/app', destination: LogDestination.stdout() },
      { sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29 },
    );
    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-collector', 'Always']]);
    expect(collector.volumeMounts[0]).toEqual({ name: 'log-collector-logs', mountPath: '/var/log/app', readOnly: true });
    expect(app.volumeMounts).toEqual([{ name: 'log-collector-logs', mountPath: '/var/log/app' }]);
  });

  test('honours name, image, resources, user and the log volume size limit', () => {
    // GIVEN / WHEN
    const { spec, collector } = render({
      name: 'shipper',
      logDir: '/logs',
      destination: LogDestination.stdout(),
      image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.9',
      resources: { memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
      user: 1001,
      logVolumeSizeLimit: Size.gibibytes(1),
    });
    // THEN
    expect(collector.image).toBe('cr.fluentbit.io/fluent/fluent-bit:3.2.9');
    expect(collector.resources).toEqual({ limits: { memory: '64Mi' }, requests: { memory: '32Mi' } });
    expect(collector.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1001 });
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['shipper-logs', 'shipper-state', 'shipper-config']);
    expect(spec.volumes[0]).toEqual({ name: 'shipper-logs', emptyDir: { sizeLimit: '1024Mi' } });
  });

  test('props are copied when the collector is built: a later change to them changes nothing', () => {
    // GIVEN props and resources the caller keeps
    const resources = { memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } };
    const props: { -readonly [K in keyof LogCollectorProps]: LogCollectorProps[K] } = {
      logDir: '/var/log/app', destination: LogDestination.stdout(), user: 1001, resources, multiline: MultilineParser.JAVA,
    };
    const chart = newChart();
    const collector = new LogCollector(props);
    // WHEN the caller changes them after construction, to values the checks would refuse
    props.logDir = '/var/log/app,/etc';
    props.user = 0;
    props.multiline = 'java,go' as any;
    (resources.memory as any).request = Size.mebibytes(512);
    new StatelessService(chart, 'web', { container: APP, patterns: [collector] });
    const spec = podSpec(only(synth(chart), 'Deployment'));
    const config = parse(only(synth(chart), 'ConfigMap').data['fluent-bit.yaml']);
    // THEN the collector keeps what was checked
    const sidecar = spec.containers.find((c: any) => c.name === 'log-collector');
    expect(sidecar.securityContext).toMatchObject({ runAsUser: 1001 });
    expect(sidecar.resources).toEqual({ limits: { memory: '64Mi' }, requests: { memory: '32Mi' } });
    expect(config.pipeline.inputs[0]).toMatchObject({ 'path': '/var/log/app/*.log', 'multiline.parser': 'java' });
  });

  test('fails when user is root', () => {
    expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), user: 0 }))).toBe(
      '[LogCollector "log-collector"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use a non-root id such as 65532.');
  });

  test('fails when logDir is relative', () => {
    expect(errorOf(() => new LogCollector({ logDir: 'logs', destination: LogDestination.stdout() }))).toBe(
      '[LogCollector "log-collector"] logDir must be an absolute path without \'..\' segments (got "logs"). '
      + 'Fix: use a path like "/var/log/app".');
  });

  test('fails when logDir overlaps the collector\'s own directories', () => {
    expect(errorOf(() => new LogCollector({ logDir: '/fluent-bit', destination: LogDestination.stdout() }))).toBe(
      '[LogCollector "log-collector"] logDir "/fluent-bit" overlaps the collector\'s own CONFIG_DIR "/fluent-bit/config"; the '
      + 'collector mounts the log volume at the same path as the app, so one mount would hide the other. '
      + 'Fix: log to a directory outside /fluent-bit, e.g. "/var/log/app".');
  });

  test('fails when logDir is already mounted by the main container', () => {
    // GIVEN an app that already has a volume at its log directory
    const chart = newChart();
    const logs = kplus.Volume.fromEmptyDir(chart, 'logs', 'logs');
    const container = { ...APP, volumeMounts: [{ path: '/var/log/app', volume: logs }] };
    // WHEN / THEN
    expect(errorOf(() => new StatelessService(chart, 'web', {
      container, patterns: [new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() })],
    }))).toBe('[test/web/log-collector] logDir "/var/log/app" is already mounted by the main container "app"; a second '
      + 'volume at the same path is rejected by Kubernetes. Fix: log to another directory, or remove the existing mount.');
  });

  test('fails when logDir overlaps a mount of the main container', () => {
    // GIVEN an app with a volume over /var/log
    const chart = newChart();
    const logs = kplus.Volume.fromEmptyDir(chart, 'logs', 'logs');
    const container = { ...APP, volumeMounts: [{ path: '/var/log', volume: logs }] };
    // WHEN / THEN
    expect(errorOf(() => new StatelessService(chart, 'web', {
      container, patterns: [new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() })],
    }))).toBe('[test/web/log-collector] logDir "/var/log/app" overlaps the existing mount "/var/log" of the main '
      + 'container "app"; one volume would hide part of the other. Fix: use a logDir that neither contains nor lies beneath "/var/log".');
  });

  test('fails when filePattern leaves logDir', () => {
    expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', filePattern: '../*.log', destination: LogDestination.stdout() }))).toBe(
      '[LogCollector "log-collector"] filePattern must be a glob relative to logDir, without \'..\', \',\' or whitespace '
      + '(got "../*.log"). Fix: use a pattern like "*.log".');
  });

  test('fails when the image is not pinned', () => {
    expect(errorOf(() => new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), image: 'cr.fluentbit.io/fluent/fluent-bit' }))).toBe(
      '[LogCollector "log-collector"] image "cr.fluentbit.io/fluent/fluent-bit" has no tag, so every pull may fetch a different '
      + 'image. Fix: pin a version, e.g. "cr.fluentbit.io/fluent/fluent-bit:1.2.3", or a digest.');
  });

  test('fails when no destination is given', () => {
    expect(errorOf(() => new LogCollector({ logDir: '/var/log/app' } as any))).toBe(
      '[LogCollector "log-collector"] destination is required (got undefined). Fix: pass e.g. '
      + 'LogDestination.elasticsearch({ endpoint, index }) or LogDestination.stdout().');
  });

  test('fails when the name is too long for the volume names', () => {
    const name = 'a'.repeat(57);
    expect(errorOf(() => new LogCollector({ name, logDir: '/var/log/app', destination: LogDestination.stdout() }))).toBe(
      `[LogCollector "${name}"] name must have at most 56 characters, as it names the volume "${name}-config" `
      + `(got "${name}", 57 characters). Fix: use a shorter name.`);
  });
});
