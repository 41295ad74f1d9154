import { Duration } from 'cdk8s';

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
   * Time between two checks of one upstream: at least 100 milliseconds, at
   * most 2147483647 milliseconds (about 24.8 days, HAProxy's longest timer).
   * @default Duration.seconds(2)
   */
  readonly interval?: Duration;

  /**
   * Consecutive failed checks after which an upstream is marked down
   * (1 to 2147483647).
   * @default 3
   */
  readonly fallCount?: number;

  /**
   * Consecutive successful checks after which a down upstream is marked up
   * again (1 to 2147483647).
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
