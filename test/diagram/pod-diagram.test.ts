import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Ambassador, AppConfig, Endpoint, ExternalService, InitStep, IPodPattern, KubernetesVersion, LogCollector, LogDestination, NodeAgent,
  PatternWorkload, PodPatternHost, SecretKeyRef, SidecarMode, StatefulService, StatelessService,
} from '../../src';
import { EndpointIndex } from '../../src/diagram/endpoint-index';
import { drawPods } from '../../src/diagram/pod-diagram';
import { app, newChart } from '../util';

/** A sidecar that reads the shared volume "content". */
class Shipper implements IPodPattern {
  public readonly name = 'shipper';
  public attach(host: PodPatternHost): void {
    host.sharedVolume('content');
    host.addSidecar({ name: 'shipper', image: 'example/shipper:2.0.0', namedMounts: [{ volume: 'content', path: '/in', readOnly: true }] });
  }
}

/** Draws `workloads` the way PodDiagrams does. */
function draw(...workloads: PatternWorkload[]): string {
  const root = workloads[0].node.root;
  const rendered = new Set<string>();
  for (const c of root.node.findAll()) {
    if (c instanceof kplus.ConfigMap) rendered.add(`ConfigMap/${c.name}`);
  }
  return drawPods(workloads.map(workload => ({ workload, view: workload._podView() })),
    { endpoints: new EndpointIndex(root), renderedObjects: rendered, direction: 'LR' });
}

/** The lines of a diagram, without indentation. */
function lines(text: string): string[] {
  return text.split('\n').map(l => l.trim());
}

describe('drawPods', () => {
  test('draws a small workload: init step, sidecar, shared volume, ConfigMap, Secret, Service port and a connection', () => {
    // GIVEN a web service whose init step fills a volume a sidecar reads, with settings from a ConfigMap, a password
    // from an existing Secret, a Service on its port, and a connection to an external database
    const chart = newChart();
    const db = ExternalService.fromHostname(chart, 'db', {
      serviceName: 'orders-db', hostname: 'db.example.com', ports: [{ name: 'postgres', port: 5432 }],
    });
    const settings = AppConfig.fromEnv(chart, 'settings', { configMapPrefix: 'web-env', variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    const web = new StatelessService(chart, 'web', {
      replicas: 2,
      container: {
        image: 'example/web:1.0.0',
        securityContext: { user: 10001 },
        ports: [{ number: 8080, name: 'http' }],
        envVariables: { DB_PASSWORD: SecretKeyRef.of(chart, 'db-credentials', 'password').envValue() },
      },
      patterns: [
        new InitStep({ name: 'fetch', image: 'busybox:1.36.1', command: ['true'], mounts: [{ volume: 'content', path: '/out' }] }),
        settings,
        new Shipper(),
      ],
    });
    web.connect(db, { envPrefix: 'DB' });

    // WHEN drawn
    const text = draw(web);

    // THEN the flowchart is exactly this
    expect(text).toBe([
      '---',
      'config:',
      '  flowchart:',
      '    wrappingWidth: 480',
      '---',
      'flowchart LR',
      '  subgraph pod_web["Pod of Deployment web · 2 replicas"]',
      '    web_fetch["<b>fetch</b><br/>init step 1 of 1<br/>busybox:1.36.1"]',
      '    web_app["<b>app</b><br/>app container<br/>example/web:1.0.0<br/>port 8080 http"]',
      '    web_shipper["<b>shipper</b><br/>sidecar<br/>example/shipper:2.0.0"]',
      '    web_volume_content[("<b>content</b><br/>shared emptyDir")]',
      '  end',
      '  web_service{{"<b>test-web-service-c8450a1e</b><br/>Service, ClusterIP"}}',
      '  configmap_web_env_1070961788[/"<b>web-env-1070961788</b><br/>ConfigMap"/]',
      '  endpoint_orders_db(["<b>orders-db</b><br/>ExternalService<br/>→ db.example.com<br/>port 5432 postgres"])',
      '  secret_db_credentials[/"<b>db-credentials</b><br/>existing Secret"/]',
      '  web_fetch -.->|"then"| web_app',
      '  web_service -->|"port 8080 (http)"| web_app',
      '  web_fetch <-->|"read-write at /out"| web_volume_content',
      '  web_volume_content -->|"read-only at /in"| web_shipper',
      '  secret_db_credentials -->|"env DB_PASSWORD ← password"| web_app',
      '  configmap_web_env_1070961788 -->|"env LOG_LEVEL"| web_app',
      '  web_app -->|"env DB_*"| endpoint_orders_db',
      '  classDef app fill:#dbeafe,stroke:#1d4ed8,color:#0b1f44',
      '  class web_app app',
      '  classDef init fill:#fef3c7,stroke:#b45309,color:#3b2506',
      '  class web_fetch init',
      '  classDef sidecar fill:#dcfce7,stroke:#15803d,color:#052e16',
      '  class web_shipper sidecar',
      '  classDef volume fill:#f3f4f6,stroke:#6b7280,color:#111827',
      '  class web_volume_content volume',
      '  classDef service fill:#e0f2fe,stroke:#0369a1,color:#082f49',
      '  class web_service service',
      '  classDef config fill:#ede9fe,stroke:#6d28d9,color:#1e1035',
      '  class configmap_web_env_1070961788 config',
      '  classDef secret fill:#fee2e2,stroke:#b91c1c,color:#3f0a0a',
      '  class secret_db_credentials secret',
      '  classDef external fill:#ffffff,stroke:#374151,stroke-dasharray:4 3,color:#111827',
      '  class endpoint_orders_db external',
      '',
    ].join('\n'));
  });

  test('numbers init steps in run order and chains them to the app; marks native sidecars', () => {
    // GIVEN two init steps and a native sidecar
    const chart = newChart();
    const job = new StatelessService(chart, 'web', {
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } },
      patterns: [
        new InitStep({ name: 'migrate', image: 'example/migrate:1.0.0' }),
        new Shipper(),
        new InitStep({ name: 'warm-cache', image: 'example/warm:1.0.0' }),
      ],
    });
    // WHEN drawn
    const text = lines(draw(job));
    // THEN the steps are numbered and chained in order, then to the app
    expect(text).toContain('web_migrate["<b>migrate</b><br/>init step 1 of 2<br/>example/migrate:1.0.0"]');
    expect(text).toContain('web_warm_cache["<b>warm-cache</b><br/>init step 2 of 2<br/>example/warm:1.0.0"]');
    expect(text).toContain('web_migrate -.->|"then"| web_warm_cache');
    expect(text).toContain('web_warm_cache -.->|"then"| web_app');
    // AND the sidecar says it is native; the volume only it mounts is listed in it, not drawn as a node
    expect(text).toContain('web_shipper["<b>shipper</b><br/>native sidecar: starts first, stops last<br/>example/shipper:2.0.0<br/>own emptyDir at /in"]');
    expect(text.some(l => l.startsWith('web_volume_content'))).toBe(false);
  });

  test('lists the emptyDirs only one container mounts in that container, and draws the mounts of a ConfigMap volume', () => {
    // GIVEN an app with two scratch volumes and mounted config files
    const chart = newChart();
    const config = AppConfig.fromFiles(chart, 'config', { mountPath: '/etc/web', configMapName: 'web-config', files: [{ key: 'a.yaml', content: 'a: 1\n' }] });
    const web = new StatelessService(chart, 'web', { container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } }, patterns: [config] });
    web.mainContainer.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp'));
    web.mainContainer.mount('/var/cache', kplus.Volume.fromEmptyDir(chart, 'cache', 'cache'));
    // WHEN drawn
    const text = lines(draw(web));
    // THEN the container lists its own emptyDirs in mount order, and the ConfigMap provides files at the mount path
    expect(text).toContain('web_app["<b>app</b><br/>app container<br/>example/web:1.0.0<br/>own emptyDir at /tmp, /var/cache"]');
    expect(text).toContain('configmap_web_config -->|"files at /etc/web"| web_app');
    expect(text).toContain('configmap_web_config[/"<b>web-config</b><br/>ConfigMap"/]');
  });

  test('a connection to a workload of the same drawing goes to its Service; a member to the headless Service', () => {
    // GIVEN a web service connected to a stateful database, once through its Service and once to member 0
    const chart = newChart();
    const db = new StatefulService(chart, 'db', {
      replicas: 3,
      container: { image: 'example/db:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'pg' }] },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/db' }],
      clientService: {},
    });
    const web = new StatelessService(chart, 'web', { container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } } });
    web.connect(db, { envPrefix: 'DB' });
    web.connect(db.member(0), { envPrefix: 'PRIMARY' });
    // WHEN both are drawn
    const text = lines(draw(db, web));
    // THEN the edges end at db's Services
    expect(text).toContain('web_app -->|"env DB_*"| db_service');
    expect(text).toContain('web_app -->|"env PRIMARY_*, member 0"| db_headless');
    expect(text).toContain(`db_headless{{"<b>${db.headlessService.name}</b><br/>headless Service"}}`);
    // AND the per-replica claim is a volume with its size
    expect(text).toContain('db_volume_data[("<b>data</b><br/>volume claim per replica, 10Gi")]');
    expect(text).toContain('db_app <-->|"read-write at /var/lib/db"| db_volume_data');
    expect(text).toContain('subgraph pod_db["Pod of StatefulSet db · 3 replicas"]');
  });

  test('a workload of another chart is an endpoint named by its chart and path', () => {
    // GIVEN a service in chart "backend" and a client in chart "frontend"
    const a = app();
    const api = new StatelessService(new Chart(a, 'backend'), 'api', {
      container: { image: 'example/api:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] },
    });
    const ui = new StatelessService(new Chart(a, 'frontend'), 'ui', { container: { image: 'example/ui:1.0.0', securityContext: { user: 10001 } } });
    ui.connect(api, { envPrefix: 'API' });
    // WHEN only the client is drawn
    const text = lines(draw(ui));
    // THEN the service of the other chart is named
    expect(text).toContain(`endpoint_${api.host.replace(/-/g, '_')}_8080(["<b>backend/api</b><br/>${api.host}:8080"])`);
  });

  test('draws what the patterns reach: an ambassador\'s upstreams, a log destination', () => {
    // GIVEN an app with an ambassador and a log collector
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } },
      patterns: [
        new Ambassador({ name: 'redis', listenPort: 6379, envVar: 'REDIS_ADDR', upstreams: [Endpoint.of('redis-0.redis.data.svc.cluster.local', 6379)] }),
        new LogCollector({ logDir: '/var/log/web', destination: LogDestination.forward({ endpoint: Endpoint.of('agg.logging.svc.cluster.local', 24224) }) }),
      ],
    });
    // WHEN drawn
    const text = lines(draw(web));
    // THEN the app reaches the proxy on localhost and the proxy the upstream
    expect(text).toContain('web_app -->|"REDIS_ADDR = 127.0.0.1:6379"| web_redis');
    expect(text).toContain('web_redis -->|"forwards to"| endpoint_redis_0_redis_data_svc_cluster_local_6379');
    expect(text).toContain('endpoint_redis_0_redis_data_svc_cluster_local_6379(["redis-0.redis.data.svc.cluster.local:6379"])');
    // AND the collector ships to the aggregator, reading the app's logs from the shared volume
    expect(text).toContain('web_log_collector -->|"ships logs (Forward protocol)"| endpoint_agg_logging_svc_cluster_local_24224');
    expect(text).toContain('web_app <-->|"read-write at /var/log/web"| web_volume_log_collector_logs');
    expect(text).toContain('web_volume_log_collector_logs -->|"read-only at /var/log/web"| web_log_collector');
  });

  test('a node agent: one Pod per node, node paths as volumes', () => {
    const chart = newChart();
    const agent = new NodeAgent(chart, 'agent', {
      container: { image: 'example/agent:1.0.0', securityContext: { user: 10001 } },
      allowHostPaths: true,
      hostPaths: [{ path: '/var/log/pods', mountPath: '/host/pods' }],
    });
    const text = lines(draw(agent));
    expect(text).toContain('subgraph pod_agent["Pod of DaemonSet agent · one per node"]');
    expect(text).toContain('agent_volume_host_var_log_pods[("<b>host-var-log-pods</b><br/>node path /var/log/pods")]');
    expect(text).toContain('agent_volume_host_var_log_pods -->|"read-only at /host/pods"| agent_app');
  });

  test('env from every key of a ConfigMap or Secret', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } } });
    web.mainContainer.env.copyFrom(kplus.Env.fromSecret(kplus.Secret.fromSecretName(chart, 'all', 'all-settings')));
    expect(lines(draw(web))).toContain('secret_all_settings -->|"env: every key"| web_app');
  });

  test('sorts volumes and the objects outside the Pods by name, whatever order they were added in', () => {
    // GIVEN two shared volumes and two Secrets added in reverse order
    const chart = newChart();
    class TwoVolumes implements IPodPattern {
      public readonly name = 'two';
      public attach(host: PodPatternHost): void {
        for (const v of ['b-vol', 'a-vol']) {
          host.sharedVolume(v);
          host.mountOnMain({ volume: v, path: `/${v}` });
        }
        host.addSidecar({ name: 'side', image: 'example/side:1.0.0', namedMounts: [{ volume: 'b-vol', path: '/b' }, { volume: 'a-vol', path: '/a' }] });
      }
    }
    const web = new StatelessService(chart, 'web', {
      container: {
        image: 'example/web:1.0.0',
        securityContext: { user: 10001 },
        envVariables: {
          Z: SecretKeyRef.of(chart, 'z-secret', 'k').envValue(),
          A: SecretKeyRef.of(chart, 'a-secret', 'k').envValue(),
        },
      },
      patterns: [new TwoVolumes()],
    });
    // WHEN drawn
    const text = lines(draw(web));
    // THEN "a-vol" comes before "b-vol", and "a-secret" before "z-secret"
    const at = (prefix: string) => text.findIndex(l => l.startsWith(prefix));
    expect(at('web_volume_a_vol')).toBeGreaterThan(-1);
    expect(at('web_volume_a_vol')).toBeLessThan(at('web_volume_b_vol'));
    expect(at('secret_a_secret[')).toBeLessThan(at('secret_z_secret['));
  });

  test('the same model gives the same text', () => {
    const build = () => {
      const chart = newChart();
      return new StatelessService(chart, 'web', {
        container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] },
        patterns: [new InitStep({ name: 'fetch', image: 'busybox:1.36.1', mounts: [{ volume: 'content', path: '/out' }] }), new Shipper()],
      });
    };
    expect(draw(build())).toBe(draw(build()));
  });
});
