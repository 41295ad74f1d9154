import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AmbassadorHealthCheck, BalanceAlgorithm, ProxyMode } from './ambassador-options';
import { DefaultImages } from './default-images';
import {
  HAPROXY_MAX_CONNECTIONS, HAPROXY_MAX_COUNT, HAPROXY_MAX_TIMER_MS, HaproxyCheck, HaproxyUpstream, renderHaproxyConfig,
} from './haproxy-config';
import { assertNotAnAppPort, assertPatternImage, assertPatternName, copyResources, wholeMillis } from './pattern-checks';
import { IEndpoint } from '../dependencies/endpoint';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import {
  assertDnsSubdomain, assertEnvName, assertIntegerAtLeast, assertNonRootUser, assertPort, isHostName, isIpAddress,
} from '../pod/validators';

/**
 * Props of an {@link Ambassador}.
 */
export interface AmbassadorProps {
  /**
   * The pattern's name: it names the proxy container and the ConfigMap of its
   * configuration, and must be unique among the patterns of a workload.
   * A DNS-1123 label of at most 56 characters (it also names the volume
   * `<name>-config`).
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
   * `clusterDomain`, and a single-label name is rejected. IPv4 addresses are
   * four numbers from 0 to 255 without leading zeros.
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
   * upstream is tried: at least 1 millisecond, at most 2147483647
   * milliseconds (about 24.8 days, HAProxy's longest timer).
   * @default Duration.seconds(5)
   */
  readonly connectTimeout?: Duration;

  /**
   * How long a connection may stay idle (client side and upstream side)
   * before the proxy closes it: at least 1 millisecond, at most 2147483647
   * milliseconds (about 24.8 days, HAProxy's longest timer).
   * @default - Duration.minutes(30) in TCP mode (long-lived connection pools), Duration.seconds(60) in HTTP mode
   */
  readonly idleTimeout?: Duration;

  /**
   * Most concurrent connections the proxy accepts, from 1 to 250000. It also
   * bounds the proxy's memory: without it HAProxy sizes its tables from the
   * container's file descriptor limit, which can exceed a small memory limit.
   * HAProxy reserves two file descriptors per connection when it starts, so
   * 250000 connections need the open-file limit most container runtimes
   * give (524288 or more).
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
   * The HAProxy image. It must be pinned, run as `user`, and provide
   * `haproxy` on the PATH.
   * @default Ambassador.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * The numeric user (and group) the proxy runs as; the image's files must
   * be readable by it.
   * @default Ambassador.HAPROXY_USER (99, "haproxy" in the official image)
   */
  readonly user?: number;
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
  /** The default HAProxy image (see `DefaultImages`). */
  public static readonly DEFAULT_IMAGE = DefaultImages.HAPROXY;

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

  /** The numeric user (and group) the proxy runs as. */
  public readonly user: number;

  private readonly upstreams: HaproxyUpstream[];
  private readonly upstreamEndpoints: IEndpoint[];
  private readonly balance: BalanceAlgorithm;
  private readonly check: HaproxyCheck;
  private readonly connectTimeout: Duration;
  private readonly idleTimeout: Duration;
  private readonly maxConnections: number;
  private readonly resources?: kplus.ContainerResources;

  constructor(props: AmbassadorProps) {
    this.name = props?.name ?? 'ambassador';
    const scope = ValidationError.patternSubject('Ambassador', this.name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass listenPort and upstreams.');
    assertPatternName(scope, this.name, ['-config']);

    assertPort(scope, 'listenPort', props.listenPort, 'use the port the app expects its dependency on, e.g. 6379 for Redis.');
    this.listenPort = props.listenPort;
    this.address = `${Ambassador.LISTEN_HOST}:${this.listenPort}`;
    this.envVar = props.envVar ?? `${this.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ADDR`;
    assertEnvName(scope, 'envVar', this.envVar);
    this.mode = props.mode ?? ProxyMode.TCP;
    this.balance = props.balance ?? BalanceAlgorithm.ROUND_ROBIN;
    this.image = props.image ?? Ambassador.DEFAULT_IMAGE;
    assertPatternImage(scope, this.image, `pass a pinned HAProxy image like "${Ambassador.DEFAULT_IMAGE}", or leave image unset.`);
    this.user = props.user ?? Ambassador.HAPROXY_USER;
    assertNonRootUser(scope, 'user', this.user, `use the numeric user the image runs HAProxy as, e.g. ${Ambassador.HAPROXY_USER} for the official image.`);
    this.resources = copyResources(props.resources);

    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    assertDnsSubdomain(scope, 'clusterDomain', clusterDomain, 'cluster.local');
    this.upstreams = checkUpstreams(scope, props.upstreams, clusterDomain);
    this.upstreamEndpoints = [...props.upstreams];
    this.check = checkHealthCheck(scope, props.healthCheck ?? {}, this.mode);

    this.connectTimeout = props.connectTimeout ?? Duration.seconds(5);
    this.idleTimeout = props.idleTimeout ?? (this.mode === ProxyMode.TCP ? Duration.minutes(30) : Duration.seconds(60));
    assertTimer(scope, 'connectTimeout', this.connectTimeout, 1, 'Duration.seconds(5)');
    assertTimer(scope, 'idleTimeout', this.idleTimeout, 1, this.mode === ProxyMode.TCP ? 'Duration.minutes(30)' : 'Duration.seconds(60)');

    this.maxConnections = props.maxConnections ?? 1024;
    assertIntegerAtLeast(scope, 'maxConnections', this.maxConnections, 1, 'use the most connections the app opens at once, e.g. 1024 (the default).');
    if (this.maxConnections > HAPROXY_MAX_CONNECTIONS) {
      throw new ValidationError(scope,
        `maxConnections must be at most ${HAPROXY_MAX_CONNECTIONS} (got ${got(this.maxConnections)}): HAProxy reserves two file `
        + 'descriptors per connection when it starts, and does not start when the container\'s open-file limit (524288 with '
        + 'containerd 2) or its memory cannot hold them. Fix: use the most connections the app opens at once, e.g. 1024 (the default).');
    }
  }

  /** @internal the upstream endpoints, as given. */
  public get _upstreams(): IEndpoint[] {
    return [...this.upstreamEndpoints];
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('Ambassador', this.name);
    assertNotAnAppPort(scope, host, 'listenPort', this.listenPort,
      `choose another listenPort and point the app at it through ${this.envVar}.`);

    const config = host.addConfigMap('Config', [{
      key: Ambassador.CONFIG_FILE,
      content: renderHaproxyConfig({
        name: this.name,
        address: this.address,
        mode: this.mode,
        balance: this.balance,
        maxConnections: this.maxConnections,
        connectTimeout: this.connectTimeout,
        idleTimeout: this.idleTimeout,
        check: this.check,
        upstreams: this.upstreams,
      }),
    }]);
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
      securityContext: { user: this.user, group: this.user },
    });
    container.mount(Ambassador.CONFIG_DIR, volume, { readOnly: true });
    host.addMainEnv(this.envVar, kplus.EnvValue.fromValue(this.address));
  }
}

/** The upstreams, qualified, each checked and listed once. */
function checkUpstreams(scope: string, upstreams: IEndpoint[], clusterDomain: string): HaproxyUpstream[] {
  if (!Array.isArray(upstreams) || upstreams.length === 0) {
    throw new ValidationError(scope, `upstreams must list at least one endpoint (got ${got(upstreams)}). `
      + 'Fix: pass the endpoints to forward to, e.g. upstreams: [Endpoint.of("redis-0.redis-headless.data.svc.cluster.local", 6379)].');
  }
  const seen = new Set<string>();
  return upstreams.map(e => {
    const host = qualify(e?.host, clusterDomain);
    assertPort(scope, `upstream ${got(e?.host)} port`, e?.port, 'use the port the upstream listens on, e.g. 6379.');
    if (/^[\d.]+$/.test(host) && !isIpAddress(host)) {
      throw new ValidationError(scope,
        `upstream host ${got(e.host)} is not an IPv4 address: it must be four numbers from 0 to 255, without leading zeros `
        + '(resolvers read a leading zero as octal). Fix: correct the address, e.g. "10.0.0.7".');
    }
    if (!isIpAddress(host) && !isHostName(host)) {
      throw new ValidationError(scope,
        `upstream host must be a DNS name or an IP address (got ${got(e?.host)}). `
        + 'Fix: use a name like "redis-0.redis-headless.data.svc.cluster.local" or an address like "10.0.0.7".');
    }
    if (!isIpAddress(host) && !host.includes('.')) {
      throw new ValidationError(scope,
        `upstream host ${got(host)} is a single-label name. The proxy resolves names through the Pod's DNS server `
        + 'without the Pod\'s search list, so it would never resolve. '
        + `Fix: use the fully qualified name, e.g. "${host}.<namespace>.svc.${clusterDomain}".`);
    }
    const key = `${host}:${e.port}`;
    if (seen.has(key)) {
      throw new ValidationError(scope, `upstream ${key} is listed twice. Fix: list each endpoint once.`);
    }
    seen.add(key);
    return { host, port: e.port };
  });
}

/** The health check settings, with their defaults, checked against HAProxy's limits. */
function checkHealthCheck(scope: string, hc: AmbassadorHealthCheck, mode: ProxyMode): HaproxyCheck {
  const interval = hc.interval ?? Duration.seconds(2);
  assertTimer(scope, 'healthCheck.interval', interval, 100, 'Duration.seconds(2)');
  for (const [key, value] of [['fallCount', hc.fallCount], ['riseCount', hc.riseCount]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > HAPROXY_MAX_COUNT)) {
      throw new ValidationError(scope, `healthCheck.${key} must be an integer between 1 and ${HAPROXY_MAX_COUNT} (got ${got(value)}). `
        + `Fix: use a small count, e.g. ${key === 'fallCount' ? 3 : 2} (the default).`);
    }
  }
  if (hc.httpPath !== undefined) {
    if (mode !== ProxyMode.HTTP) {
      throw new ValidationError(scope, `healthCheck.httpPath ${got(hc.httpPath)} needs mode ProxyMode.HTTP (got mode ${got(mode)}); `
        + 'a TCP proxy can only check that upstreams accept connections. Fix: set mode: ProxyMode.HTTP or drop httpPath.');
    }
    if (typeof hc.httpPath !== 'string' || !/^\/[A-Za-z0-9._~!*+,=:@%/?&-]*$/.test(hc.httpPath)) {
      throw new ValidationError(scope, 'healthCheck.httpPath must be an absolute URL path without spaces or quotes '
        + `(got ${got(hc.httpPath)}). Fix: write it like "/healthz".`);
    }
  }
  return { interval, fall: hc.fallCount ?? 3, rise: hc.riseCount ?? 2, httpPath: hc.httpPath };
}

/** Throws unless the duration is whole milliseconds from `minMs` up to HAProxy's longest timer. */
function assertTimer(scope: string, what: string, d: Duration, minMs: number, example: string): void {
  const ms = wholeMillis(scope, what, d);
  const unit = minMs === 1 ? '1 millisecond' : `${minMs} milliseconds`;
  if (ms < minMs) {
    throw new ValidationError(scope, `${what} must be at least ${unit} (got ${ms} ms). Fix: use e.g. ${example} (the default).`);
  }
  if (ms > HAPROXY_MAX_TIMER_MS) {
    throw new ValidationError(scope,
      `${what} must be at most ${HAPROXY_MAX_TIMER_MS} milliseconds (about 24.8 days), the longest timer HAProxy accepts `
      + `(got ${ms} ms). Fix: use at most Duration.days(24), e.g. ${example} (the default).`);
  }
}

/** Completes a Kubernetes Service name ending in `.svc` with the cluster domain; strips IPv6 brackets. */
function qualify(host: unknown, clusterDomain: string): string {
  if (typeof host !== 'string') return String(host);
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.endsWith('.svc') ? `${bare}.${clusterDomain}` : bare;
}
