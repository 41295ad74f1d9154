import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IEndpoint } from '../dependencies/endpoint';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { got } from '../pod/validation-error';

/**
 * How the ambassador proxies traffic: HAProxy's `mode`.
 *
 * @see https://docs.haproxy.org/2.8/configuration.html#4-mode
 */
export enum ProxyMode {
  /**
   * Layer 4: bytes are forwarded as they are. For any TCP protocol (Redis,
   * memcached, PostgreSQL, ...).
   */
  TCP = 'tcp',

  /**
   * Layer 7: HTTP/1.1 requests are parsed, and upstream connections are kept
   * alive and reused across requests.
   */
  HTTP = 'http',
}

/**
 * How the ambassador picks an upstream for a new connection (or request, in
 * HTTP mode): HAProxy's `balance` algorithms.
 *
 * @see https://docs.haproxy.org/2.8/configuration.html#4.2-balance
 */
export enum BalanceAlgorithm {
  /** Each upstream in turn. */
  ROUND_ROBIN = 'roundrobin',

  /**
   * The upstream with the fewest open connections; the better choice for
   * long-lived connections such as connection pools.
   */
  LEAST_CONNECTIONS = 'leastconn',

  /**
   * The first upstream (in the order given) that is up and has free
   * connection slots: an active/standby setup.
   */
  FIRST = 'first',

  /** A hash of the client address; every Pod sticks to one upstream while it is up. */
  SOURCE = 'source',

  /** A random upstream. */
  RANDOM = 'random',
}

/**
 * Active health checks of the ambassador's upstreams. An upstream that fails
 * them is taken out of rotation until it passes again.
 *
 * @see https://docs.haproxy.org/2.8/configuration.html#5.2-check
 */
export interface AmbassadorHealthCheck {
  /**
   * Time between two checks of one upstream.
   * @default Duration.seconds(2)
   */
  readonly interval?: Duration;

  /**
   * Consecutive failed checks after which an upstream is marked down.
   * @default 3
   */
  readonly fallCount?: number;

  /**
   * Consecutive successful checks after which a down upstream is marked up again.
   * @default 2
   */
  readonly riseCount?: number;

  /**
   * In `ProxyMode.HTTP`, check with a `GET` of this path; a 2xx or 3xx answer
   * means healthy. Only valid in HTTP mode.
   * @default - a TCP connect check
   */
  readonly httpPath?: string;
}

/**
 * Props of an {@link Ambassador}.
 */
export interface AmbassadorProps {
  /**
   * The pattern's name: it names the proxy container and the ConfigMap of its
   * configuration, and must be unique among the patterns of a workload.
   * @default "ambassador"
   */
  readonly name?: string;

  /**
   * The port the app connects to on `127.0.0.1`. It must differ from every
   * port of the app container.
   */
  readonly listenPort: number;

  /**
   * The endpoints to forward to. Host names are resolved by the proxy at
   * runtime through the Pod's DNS server (they need not resolve at synth
   * time). The proxy does not apply the Pod's DNS search list, so names must
   * be fully qualified: a name ending in `.svc` is completed with
   * `clusterDomain`, and a single-label name is rejected.
   */
  readonly upstreams: IEndpoint[];

  /**
   * Layer 4 (TCP) or layer 7 (HTTP) proxying.
   * @default ProxyMode.TCP
   */
  readonly mode?: ProxyMode;

  /**
   * Name of the environment variable that gives the app the local address,
   * `127.0.0.1:<listenPort>`.
   * @default - the pattern name in upper case with '-' replaced by '_', followed by `_ADDR` (e.g. "AMBASSADOR_ADDR")
   */
  readonly envVar?: string;

  /**
   * How an upstream is chosen.
   * @default BalanceAlgorithm.ROUND_ROBIN
   */
  readonly balance?: BalanceAlgorithm;

  /**
   * Health checks of the upstreams.
   * @default - a TCP connect check every 2 seconds; 3 failures mark an upstream down, 2 successes mark it up
   */
  readonly healthCheck?: AmbassadorHealthCheck;

  /**
   * How long a connection attempt to an upstream may take before another
   * upstream is tried.
   * @default Duration.seconds(5)
   */
  readonly connectTimeout?: Duration;

  /**
   * How long a connection may stay idle (client side and upstream side)
   * before the proxy closes it.
   * @default - Duration.minutes(30) in TCP mode (long-lived connection pools), Duration.seconds(60) in HTTP mode
   */
  readonly idleTimeout?: Duration;

  /**
   * Most concurrent connections the proxy accepts. It also bounds the proxy's
   * memory: without it HAProxy sizes its tables from the container's file
   * descriptor limit, which can exceed a small memory limit.
   * @default 1024
   */
  readonly maxConnections?: number;

  /**
   * The cluster's DNS domain, appended to upstream host names that end in `.svc`.
   * @default "cluster.local"
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
   */
  readonly clusterDomain?: string;

  /**
   * Resources of the proxy container.
   * @default - SecureDefaults.sidecarResources(): requests 50m CPU / 64Mi, limits 200m CPU / 128Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * The HAProxy image. It must be pinned, must run as the numeric user
   * `Ambassador.HAPROXY_USER`, and provide `haproxy` on the PATH.
   * @default Ambassador.DEFAULT_IMAGE
   */
  readonly image?: string;
}

/**
 * The ambassador (proxy) pattern: the app talks to `127.0.0.1:<listenPort>`,
 * and an HAProxy sidecar forwards to a set of upstream endpoints, so the app's
 * code and config carry no upstream addresses.
 *
 * The proxy:
 * - listens on the loopback address only, so nothing outside the Pod can use it;
 * - health-checks the upstreams and routes around those that are down, retrying
 *   a failed connection on another upstream;
 * - resolves upstream names at runtime through the Pod's DNS server (every
 *   10 seconds, not per request), and starts even when none of them resolves
 *   yet: unresolved upstreams start out down;
 * - writes nothing: it has no pid file and no stats socket, so it runs with a
 *   read-only root filesystem.
 *
 * The app finds the local address in an environment variable (see `envVar`).
 * Its configuration is rendered into a ConfigMap, whose hash rolls the Pods
 * when it changes. With `SidecarMode.NATIVE` the proxy starts before the app.
 *
 * @see https://kubernetes.io/blog/2015/06/the-distributed-system-toolkit-patterns/
 */
export class Ambassador implements IPodPattern {
  /** The default HAProxy image. */
  public static readonly DEFAULT_IMAGE = 'haproxy:2.8.11-alpine';

  /** The numeric user of the official HAProxy image ("haproxy"). */
  public static readonly HAPROXY_USER = 99;

  /** Where the configuration is mounted in the proxy container. */
  public static readonly CONFIG_DIR = '/usr/local/etc/haproxy';

  /** The key (file name) of the configuration in its ConfigMap. */
  public static readonly CONFIG_FILE = 'haproxy.cfg';

  /** The loopback address the proxy listens on. */
  public static readonly LISTEN_HOST = '127.0.0.1';

  /** The pattern's name, which is also the name of the proxy container. */
  public readonly name: string;

  /** The port the proxy listens on. */
  public readonly listenPort: number;

  /** The address the app connects to: `127.0.0.1:<listenPort>`. */
  public readonly address: string;

  /** The environment variable that carries `address` into the app container. */
  public readonly envVar: string;

  /** Layer 4 or layer 7 proxying. */
  public readonly mode: ProxyMode;

  /** The HAProxy image. */
  public readonly image: string;

  private readonly upstreams: { readonly host: string; readonly port: number }[];
  private readonly upstreamEndpoints: IEndpoint[];
  private readonly balance: BalanceAlgorithm;
  private readonly check: { readonly interval: Duration; readonly fall: number; readonly rise: number; readonly httpPath?: string };
  private readonly connectTimeout: Duration;
  private readonly idleTimeout: Duration;
  private readonly maxConnections: number;
  private readonly resources?: kplus.ContainerResources;

  constructor(props: AmbassadorProps) {
    this.name = props.name ?? 'ambassador';
    const fail = (message: string): never => {
      throw new Error(`Ambassador "${this.name}": ${message}`);
    };

    if (!Number.isInteger(props.listenPort) || props.listenPort < 1 || props.listenPort > 65535) {
      fail(`listenPort must be an integer between 1 and 65535 (got ${got(props.listenPort)}). `
        + 'Fix: use the port the app expects its dependency on, e.g. 6379 for Redis.');
    }
    this.listenPort = props.listenPort;
    this.address = `${Ambassador.LISTEN_HOST}:${this.listenPort}`;
    this.envVar = props.envVar ?? `${this.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ADDR`;
    this.mode = props.mode ?? ProxyMode.TCP;
    this.balance = props.balance ?? BalanceAlgorithm.ROUND_ROBIN;
    this.image = props.image ?? Ambassador.DEFAULT_IMAGE;
    this.resources = props.resources;

    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(clusterDomain)) {
      fail(`clusterDomain must be a DNS name like "cluster.local" (got ${got(clusterDomain)}).`);
    }

    if (!Array.isArray(props.upstreams) || props.upstreams.length === 0) {
      fail(`upstreams must list at least one endpoint (got ${got(props.upstreams)}). `
        + 'Fix: pass the endpoints to forward to, e.g. upstreams: [Endpoint.of("redis-0.redis-headless.data.svc.cluster.local", 6379)].');
    }
    const seen = new Set<string>();
    this.upstreams = props.upstreams.map(e => {
      const host = qualify(e?.host, clusterDomain);
      if (!Number.isInteger(e?.port) || e.port < 1 || e.port > 65535) {
        fail(`upstream ${got(e?.host)} has port ${got(e?.port)}; it must be an integer between 1 and 65535.`);
      }
      if (!isIpAddress(host) && !isDnsName(host)) {
        fail(`upstream host must be a DNS name or an IP address (got ${got(e?.host)}).`);
      }
      if (!isIpAddress(host) && !host.includes('.')) {
        fail(`upstream host ${got(host)} is a single-label name. The proxy resolves names through the Pod's DNS server `
          + 'without the Pod\'s search list, so it would never resolve. '
          + `Fix: use the fully qualified name, e.g. "${host}.<namespace>.svc.${clusterDomain}".`);
      }
      const key = `${host}:${e.port}`;
      if (seen.has(key)) {
        fail(`upstream ${key} is listed twice. Fix: list each endpoint once.`);
      }
      seen.add(key);
      return { host, port: e.port };
    });

    this.upstreamEndpoints = [...props.upstreams];

    const hc = props.healthCheck ?? {};
    const interval = hc.interval ?? Duration.seconds(2);
    if (interval.toMilliseconds() < 100) {
      fail(`healthCheck.interval must be at least 100 milliseconds (got ${interval.toMilliseconds()} ms).`);
    }
    for (const [key, value] of [['fallCount', hc.fallCount], ['riseCount', hc.riseCount]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        fail(`healthCheck.${key} must be an integer >= 1 (got ${got(value)}).`);
      }
    }
    if (hc.httpPath !== undefined) {
      if (this.mode !== ProxyMode.HTTP) {
        fail(`healthCheck.httpPath ${got(hc.httpPath)} needs mode ProxyMode.HTTP (got mode ${got(this.mode)}); `
          + 'a TCP proxy can only check that upstreams accept connections. Fix: set mode: ProxyMode.HTTP or drop httpPath.');
      }
      if (!/^\/[A-Za-z0-9._~!*+,=:@%/?&-]*$/.test(hc.httpPath)) {
        fail(`healthCheck.httpPath must be an absolute URL path like "/healthz", without spaces or quotes (got ${got(hc.httpPath)}).`);
      }
    }
    this.check = { interval, fall: hc.fallCount ?? 3, rise: hc.riseCount ?? 2, httpPath: hc.httpPath };

    this.connectTimeout = props.connectTimeout ?? Duration.seconds(5);
    this.idleTimeout = props.idleTimeout ?? (this.mode === ProxyMode.TCP ? Duration.minutes(30) : Duration.seconds(60));
    for (const [key, value] of [['connectTimeout', this.connectTimeout], ['idleTimeout', this.idleTimeout]] as const) {
      if (value.toMilliseconds() < 1) {
        fail(`${key} must be at least 1 millisecond (got ${value.toMilliseconds()} ms).`);
      }
    }
    this.maxConnections = props.maxConnections ?? 1024;
    if (!Number.isInteger(this.maxConnections) || this.maxConnections < 1) {
      fail(`maxConnections must be an integer >= 1 (got ${got(props.maxConnections)}).`);
    }
  }

  /** @internal the upstream endpoints, as given. */
  public get _upstreams(): IEndpoint[] {
    return [...this.upstreamEndpoints];
  }

  public attach(host: PodPatternHost): void {
    const clash = host.mainPorts.find(p => p.port === this.listenPort);
    if (clash) {
      throw new Error(`Ambassador "${this.name}": listenPort ${this.listenPort} is already a port of the app container `
        + `"${host.mainContainerName}"${clash.name ? ` ("${clash.name}")` : ''}; the containers of a Pod share one network `
        + 'namespace, so only one of them can listen on it. Fix: choose another listenPort and point the app at it through '
        + `${this.envVar}.`);
    }

    const config = host.addConfigMap('Config', [{ key: Ambassador.CONFIG_FILE, content: this.renderConfig() }]);
    const volume = host.configMapVolume(config, `${this.name}-config`);
    const container = host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['haproxy'],
      args: ['-db', '-f', `${Ambassador.CONFIG_DIR}/${Ambassador.CONFIG_FILE}`],
      // declared so that the pod rules catch another container using the same port;
      // the proxy only listens on the loopback address, so the port is never exposed
      ports: [{ number: this.listenPort }],
      resources: this.resources,
      securityContext: { user: Ambassador.HAPROXY_USER, group: Ambassador.HAPROXY_USER },
    });
    container.mount(Ambassador.CONFIG_DIR, volume, { readOnly: true });
    host.addMainEnv(this.envVar, kplus.EnvValue.fromValue(this.address));
  }

  /** The HAProxy configuration file. */
  private renderConfig(): string {
    const http = this.mode === ProxyMode.HTTP;
    const idle = haproxyTime(this.idleTimeout);
    const check = this.check;
    const lines = [
      `# Ambassador "${this.name}": ${this.address}, ${this.mode} mode.`,
      '# No pid file, no stats socket: the proxy writes nothing to disk.',
      'global',
      '  log stdout format raw local0 notice',
      `  maxconn ${this.maxConnections}`,
      '  # one thread: the sidecar\'s CPU limit is a fraction of a core, whatever the node has',
      '  nbthread 1',
      '',
      '# Upstream names are resolved through the Pod\'s DNS server',
      '# every 10s, never per request.',
      'resolvers pod-dns',
      '  parse-resolv-conf',
      '  resolve_retries 3',
      '  timeout resolve 10s',
      '  timeout retry 1s',
      '  hold valid 10s',
      '  hold nx 30s',
      '',
      'defaults',
      `  mode ${this.mode}`,
      '  log global',
      '  option dontlognull',
      ...(http ? [] : ['  option clitcpka', '  option srvtcpka']),
      '  # a failed connection is retried on another upstream',
      '  retries 3',
      '  option redispatch 1',
      `  timeout connect ${haproxyTime(this.connectTimeout)}`,
      `  timeout client ${idle}`,
      `  timeout server ${idle}`,
      ...(http ? ['  timeout http-request 10s', '  timeout http-keep-alive 10s'] : []),
      `  timeout check ${haproxyTime(this.connectTimeout)}`,
      '  # unresolved upstreams start out down instead of failing the start',
      '  default-server init-addr last,libc,none resolvers pod-dns',
      '  default-server resolve-prefer ipv4',
      `  default-server check inter ${haproxyTime(check.interval)} fall ${check.fall} rise ${check.rise}`,
      '',
      'frontend local',
      `  bind ${this.address}`,
      '  default_backend upstreams',
      '',
      'backend upstreams',
      `  balance ${this.balance}`,
      ...(check.httpPath ? [`  option httpchk GET ${check.httpPath}`] : []),
      ...serverNames(this.upstreams).map((name, i) => {
        const u = this.upstreams[i];
        const address = u.host.includes(':') ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`;
        return `  server ${name} ${address}`;
      }),
      '',
    ];
    return lines.join('\n');
  }
}

/**
 * Short, unique names of the upstreams for HAProxy's logs: the first label of
 * a DNS name (e.g. "redis-0"), with the position appended when two share it,
 * and "upstream-<position>" for IP addresses.
 */
function serverNames(upstreams: { readonly host: string }[]): string[] {
  const base = upstreams.map((u, i) => isIpAddress(u.host) ? `upstream-${i}` : u.host.split('.')[0]);
  return base.map((b, i) => base.filter(x => x === b).length > 1 ? `${b}-${i}` : b);
}

/** A duration in HAProxy's time format, in the largest unit that keeps it whole. */
function haproxyTime(d: Duration): string {
  const ms = d.toMilliseconds();
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));
}

function isDnsName(host: string): boolean {
  return host.length <= 253 && /^[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?)*\.?$/.test(host);
}

/** Completes a Kubernetes Service name ending in `.svc` with the cluster domain; strips IPv6 brackets. */
function qualify(host: unknown, clusterDomain: string): string {
  if (typeof host !== 'string') return String(host);
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.endsWith('.svc') ? `${bare}.${clusterDomain}` : bare;
}
