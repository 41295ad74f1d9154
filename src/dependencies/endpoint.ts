import { got, ValidationError } from '../pod/validation-error';
import { assertPort, assertUrlScheme, isHostName, isIpAddress } from '../pod/validators';

/**
 * Something a workload can reach over the network: a host and a port.
 *
 * Implemented by in-app services (`StatelessService`, `StatefulService` and
 * their members), by `ExternalService`, and by `Endpoint.of(...)` for plain
 * host:port pairs. Constructs accept `IEndpoint`, never a concrete service,
 * so an external PaaS and an in-app service are interchangeable.
 */
export interface IEndpoint {
  /** DNS name or IP address. */
  readonly host: string;

  /** TCP port. */
  readonly port: number;

  /**
   * URL scheme, e.g. "http", "redis", "mysql".
   * @default - none: a plain TCP endpoint
   */
  readonly scheme?: string;

  /** `scheme://host:port` when there is a scheme, else `host:port`. */
  readonly url: string;
}

/**
 * Options of `Endpoint.of`.
 */
export interface EndpointOptions {
  /**
   * URL scheme, e.g. "http".
   * @default - none: a plain TCP endpoint
   */
  readonly scheme?: string;
}

/**
 * A plain host:port endpoint.
 */
export class Endpoint implements IEndpoint {
  /**
   * An endpoint from a host and a port.
   */
  public static of(host: string, port: number, options: EndpointOptions = {}): Endpoint {
    const bare = typeof host === 'string' && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (typeof bare !== 'string' || !(isHostName(bare) || isIpAddress(bare))) {
      throw new ValidationError('Endpoint.of', `host must be a DNS name or an IP address (got ${got(host)}). `
        + 'Fix: pass a name like "orders-db.data.svc.cluster.local" or an address like "10.0.12.7".');
    }
    assertPort('Endpoint.of', 'port', port, 'use the port the service listens on, e.g. 5432.');
    if (options.scheme !== undefined) assertUrlScheme('Endpoint.of', 'scheme', options.scheme);
    return new Endpoint(host, port, options.scheme);
  }

  /** Renders `scheme://host:port` or `host:port`. */
  public static urlOf(host: string, port: number, scheme?: string): string {
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return scheme ? `${scheme}://${h}:${port}` : `${h}:${port}`;
  }

  private constructor(public readonly host: string, public readonly port: number, public readonly scheme?: string) {}

  public get url(): string {
    return Endpoint.urlOf(this.host, this.port, this.scheme);
  }
}
