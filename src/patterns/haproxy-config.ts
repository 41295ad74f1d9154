/**
 * The Ambassador's HAProxy configuration file, and the limits of the HAProxy
 * values it holds. Internal: not exported from the package entry point.
 */
import { Duration } from 'cdk8s';
import { BalanceAlgorithm, ProxyMode } from './ambassador-options';
import { isIpAddress } from '../pod/validators';

/**
 * The longest timeout or check interval HAProxy accepts, in milliseconds
 * (2^31 - 1, about 24.8 days): HAProxy stops at "timer overflow" above it.
 */
export const HAPROXY_MAX_TIMER_MS = 2_147_483_647;

/** The largest health check count (`fall`, `rise`) HAProxy accepts: a signed 32-bit integer. */
export const HAPROXY_MAX_COUNT = 2_147_483_647;

/**
 * The largest `maxconn` the Ambassador accepts. HAProxy reserves two file
 * descriptors per connection (plus one per upstream and a few of its own)
 * when it starts, and stops when it cannot raise its open-file limit that far.
 * 250000 connections need about 500000 descriptors, which fits the lowest
 * common container limit, containerd 2's 524288 (systemd's default hard
 * limit), and about 45 MB of memory for HAProxy's tables.
 */
export const HAPROXY_MAX_CONNECTIONS = 250_000;

/** The health checks of the upstreams, as rendered. */
export interface HaproxyCheck {
  readonly interval: Duration;
  readonly fall: number;
  readonly rise: number;
  readonly httpPath?: string;
}

/** An upstream, with its host qualified and IPv6 brackets removed. */
export interface HaproxyUpstream {
  readonly host: string;
  readonly port: number;
}

/** What the configuration is rendered from. */
export interface HaproxySettings {
  readonly name: string;
  /** `127.0.0.1:<listenPort>` */
  readonly address: string;
  readonly mode: ProxyMode;
  readonly balance: BalanceAlgorithm;
  readonly maxConnections: number;
  readonly connectTimeout: Duration;
  readonly idleTimeout: Duration;
  readonly check: HaproxyCheck;
  readonly upstreams: HaproxyUpstream[];
}

/** The HAProxy configuration file of an Ambassador. */
export function renderHaproxyConfig(s: HaproxySettings): string {
  const http = s.mode === ProxyMode.HTTP;
  const idle = haproxyTime(s.idleTimeout);
  const check = s.check;
  const lines = [
    `# Ambassador "${s.name}": ${s.address}, ${s.mode} mode.`,
    '# No pid file, no stats socket: the proxy writes nothing to disk.',
    'global',
    '  log stdout format raw local0 notice',
    `  maxconn ${s.maxConnections}`,
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
    `  mode ${s.mode}`,
    '  log global',
    '  option dontlognull',
    ...(http ? [] : ['  option clitcpka', '  option srvtcpka']),
    '  # a failed connection is retried on another upstream',
    '  retries 3',
    '  option redispatch 1',
    `  timeout connect ${haproxyTime(s.connectTimeout)}`,
    `  timeout client ${idle}`,
    `  timeout server ${idle}`,
    ...(http ? ['  timeout http-request 10s', '  timeout http-keep-alive 10s'] : []),
    `  timeout check ${haproxyTime(s.connectTimeout)}`,
    '  # unresolved upstreams start out down instead of failing the start',
    '  default-server init-addr last,libc,none resolvers pod-dns',
    '  default-server resolve-prefer ipv4',
    `  default-server check inter ${haproxyTime(check.interval)} fall ${check.fall} rise ${check.rise}`,
    '',
    'frontend local',
    `  bind ${s.address}`,
    '  default_backend upstreams',
    '',
    'backend upstreams',
    `  balance ${s.balance}`,
    ...(check.httpPath ? [`  option httpchk GET ${check.httpPath}`] : []),
    ...serverNames(s.upstreams).map((name, i) => {
      const u = s.upstreams[i];
      const address = u.host.includes(':') ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`;
      return `  server ${name} ${address}`;
    }),
    '',
  ];
  return lines.join('\n');
}

/**
 * Short, unique names of the upstreams for HAProxy's logs: the first label of
 * a DNS name (e.g. "redis-0"), with the position appended when two share it,
 * and "upstream-<position>" for IP addresses.
 */
function serverNames(upstreams: HaproxyUpstream[]): string[] {
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
