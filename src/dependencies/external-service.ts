import { isIP } from 'net';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Endpoint, IEndpoint } from './endpoint';
import { resolveNamespace, serviceHost } from '../pod/cluster-dns';
import { labelStandalone } from '../pod/object-labels';
import { got, ValidationError } from '../pod/validation-error';
import { assertDns1035Label, assertPort, assertPortName, assertUrlScheme, isDnsSubdomain, objectNameProblems } from '../pod/validators';

/**
 * A named port of an external service.
 */
export interface ExternalServicePort {
  /**
   * Port name (IANA service name: at most 15 lowercase letters, digits and
   * '-'). Names are unique within one service.
   */
  readonly name: string;

  /** The port the service listens on (1-65535). */
  readonly port: number;

  /**
   * Protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;

  /**
   * URL scheme of this port, e.g. "postgres" or "redis". It becomes the
   * scheme of the endpoint (and so of the `<PREFIX>_URL` that `connect` injects).
   * @default - none: a plain TCP endpoint
   */
  readonly scheme?: string;
}

/**
 * Options shared by every kind of external service.
 */
export interface ExternalServiceOptions {
  /**
   * The ports of the service. The first port is the one the service stands for
   * as an endpoint (`port`, `url`); reach the others with `portEndpoint(name)`.
   */
  readonly ports: ExternalServicePort[];

  /**
   * Name of the in-cluster Service. Apps refer to the dependency by this
   * name, so a fixed name lets the same app manifests work in every
   * environment, whatever stands behind the name there.
   * @default - a name generated from the construct path
   */
  readonly serviceName?: string;

  /**
   * The namespace the manifests are applied to, when the chart does not set
   * one. Only used to build the fully qualified DNS name of the Service
   * (`host`); it must agree with the chart's namespace when both are set.
   * @default - the chart's namespace; when neither is known, `host` is the bare Service name, which resolves only from the same namespace
   */
  readonly namespace?: string;
}

/**
 * Options of `ExternalService.fromHostname`.
 */
export interface ExternalHostnameOptions extends ExternalServiceOptions {
  /**
   * DNS name of the managed service, e.g. "orders.abc123.eu-west-1.rds.amazonaws.com".
   * Cluster DNS answers the Service name with a CNAME to it.
   */
  readonly hostname: string;
}

/**
 * Options of `ExternalService.fromIps`.
 */
export interface ExternalIpsOptions extends ExternalServiceOptions {
  /**
   * Fixed IPv4 or IPv6 addresses of the service. Cluster DNS answers the
   * Service name with these addresses.
   */
  readonly ips: string[];
}

/** The target of an ExternalService: exactly one of a host name or addresses. */
interface ExternalTarget {
  readonly kind: 'hostname' | 'ips';
  readonly hostname?: string;
  readonly ips?: string[];
}

/**
 * A dependency that lives outside the cluster (a managed database, a cache on
 * fixed hosts), given a stable in-cluster Service name.
 *
 * - `fromHostname` renders an `ExternalName` Service: cluster DNS answers the
 *   Service name with a CNAME to the PaaS host name.
 * - `fromIps` renders a headless Service without a selector, plus an
 *   Endpoints object of the same name listing the addresses: cluster DNS
 *   answers the Service name with those addresses.
 *
 * Either way the app only knows the Service name and port, exactly as it
 * would for a service built in the same app: `ExternalService` is an
 * `IEndpoint` and is connected with `connect`. Nothing here creates the
 * dependency itself.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
 */
export class ExternalService extends Construct implements IEndpoint {
  /**
   * A managed service reached through its DNS name (an `ExternalName` Service).
   */
  public static fromHostname(scope: Construct, id: string, options: ExternalHostnameOptions): ExternalService {
    return new ExternalService(scope, id, options, { kind: 'hostname', hostname: options?.hostname });
  }

  /**
   * A service on fixed addresses (a headless Service plus Endpoints).
   */
  public static fromIps(scope: Construct, id: string, options: ExternalIpsOptions): ExternalService {
    return new ExternalService(scope, id, options, { kind: 'ips', ips: options?.ips ?? [] });
  }

  /** The in-cluster Service. */
  public readonly service: kplus.Service;

  /**
   * The Endpoints object listing the addresses.
   * @default - undefined for an ExternalName Service
   */
  public readonly endpoints?: kplus.k8s.KubeEndpoints;

  /** Name of the in-cluster Service. */
  public readonly serviceName: string;

  /**
   * The DNS name the Service points to.
   * @default - undefined for an address list
   */
  public readonly externalName?: string;

  /**
   * In-cluster DNS name of the Service: `<name>.<namespace>.svc.cluster.local`,
   * or the bare `<name>` when the namespace is unknown.
   */
  public readonly host: string;

  /**
   * The namespace used in the DNS name.
   * @default - unknown: the DNS name is namespace-relative
   */
  public readonly namespace?: string;

  /** Port of the first entry of `ports`. */
  public readonly port: number;

  /**
   * Scheme of the first entry of `ports`.
   * @default - none
   */
  public readonly scheme?: string;

  private readonly _ips: string[];
  private readonly _ports: ExternalServicePort[];

  private constructor(scope: Construct, id: string, props: ExternalServiceOptions, target: ExternalTarget) {
    super(scope, id);
    this.node.addValidation({ validate: () => objectNameProblems(this) });
    if (target.kind === 'hostname') this.validateHostname(target.hostname!);
    else this.validateIps(target.ips!);
    this.validatePorts(props.ports);
    if (props.serviceName !== undefined) this.validateServiceName(props.serviceName);
    this.namespace = resolveNamespace(this, props.namespace);

    this._ports = props.ports.map(p => ({ ...p }));
    this._ips = [...(target.ips ?? [])];
    const servicePorts: kplus.ServicePort[] = this._ports.map(p => ({
      name: p.name, port: p.port, protocol: p.protocol ?? kplus.Protocol.TCP,
    }));

    const metadata = props.serviceName !== undefined ? { name: props.serviceName } : undefined;
    if (target.kind === 'hostname') {
      this.externalName = target.hostname;
      this.service = new kplus.Service(this, 'Resource', {
        metadata,
        type: kplus.ServiceType.EXTERNAL_NAME,
        externalName: target.hostname,
      });
      // cdk8s-plus leaves the ports off an ExternalName Service; Kubernetes keeps them, and they document the service
      ApiObject.of(this.service).addJsonPatch(JsonPatch.add('/spec/ports',
        servicePorts.map(p => ({ name: p.name, port: p.port, protocol: p.protocol }))));
    } else {
      this.service = new kplus.Service(this, 'Resource', {
        metadata,
        type: kplus.ServiceType.CLUSTER_IP,
        clusterIP: 'None',
        ports: servicePorts,
      });
      // no selector: the Endpoints below are the only source of addresses
      ApiObject.of(this.service).addJsonPatch(JsonPatch.remove('/spec/selector'), JsonPatch.remove('/spec/externalIPs'));
      this.endpoints = new kplus.k8s.KubeEndpoints(this, 'Endpoints', {
        metadata: { name: this.service.name },
        subsets: [{
          addresses: this._ips.map(ip => ({ ip })),
          ports: servicePorts.map(p => ({ name: p.name, port: p.port, protocol: p.protocol })),
        }],
      });
    }

    this.serviceName = this.service.name;
    labelStandalone(this, props.serviceName ?? this.node.id, 'external-service');
    this.host = serviceHost(this.serviceName, this.namespace);
    this.port = this._ports[0].port;
    this.scheme = this._ports[0].scheme;
  }

  /** `scheme://host:port` when the first port has a scheme, else `host:port`. */
  public get url(): string {
    return Endpoint.urlOf(this.host, this.port, this.scheme);
  }

  /**
   * The fixed addresses.
   * @default - empty for an ExternalName Service
   */
  public get ips(): string[] {
    return [...this._ips];
  }

  /** The ports, as given. */
  public get ports(): ExternalServicePort[] {
    return this._ports.map(p => ({ ...p }));
  }

  /**
   * The endpoint of one named port, to connect an app to a port other than
   * the first.
   */
  public portEndpoint(name: string): IEndpoint {
    const p = this._ports.find(x => x.name === name);
    if (!p) {
      throw new ValidationError(this,
        `portEndpoint: this ExternalService has no port named ${got(name)} `
        + `(known: ${this._ports.map(x => `"${x.name}"`).join(', ')}). Fix: use one of the known port names.`);
    }
    return Endpoint.of(this.host, p.port, { scheme: p.scheme });
  }

  private validateHostname(hostname: string): void {
    if (typeof hostname === 'string' && isIP(hostname) !== 0) {
      throw new ValidationError(this,
        `hostname ${got(hostname)} is an IP address, but an ExternalName Service only works with a DNS name `
        + `(cluster DNS answers with a CNAME). Fix: use ips: [${got(hostname)}] instead.`);
    }
    if (!isDnsSubdomain(hostname) || !hostname.split('.').every(l => l.length <= 63)) {
      throw new ValidationError(this,
        'hostname must be a DNS name: dot-separated labels of lowercase letters, digits and \'-\', each at most 63 characters, '
        + `at most 253 characters in all (got ${got(hostname)}). Fix: use a name like "orders.db.example.com".`);
    }
  }

  private validateIps(ips: string[]): void {
    if (!Array.isArray(ips) || ips.length === 0) {
      throw new ValidationError(this,
        `ips must list at least one address (got ${got(ips)}). Fix: list the service's addresses, e.g. ips: ["10.0.12.7"].`);
    }
    const seen = new Set<string>();
    ips.forEach((ip, i) => {
      const family = typeof ip === 'string' ? isIP(ip) : 0;
      if (family === 0) {
        throw new ValidationError(this,
          `ips[${i}] must be an IPv4 or IPv6 address (got ${got(ip)}). `
          + 'Fix: use an address like "10.0.12.7" or "fd00::7"; for a DNS name use hostname instead.');
      }
      const reserved = reservedRange(ip, family);
      if (reserved) {
        throw new ValidationError(this,
          `ips[${i}] ${got(ip)} is a ${reserved} address, which Kubernetes rejects in Endpoints (it cannot reach a service `
          + 'outside the Pod). Fix: use the address the service is reachable on from the cluster network.');
      }
      const key = family === 6 ? ip.toLowerCase() : ip;
      if (seen.has(key)) {
        throw new ValidationError(this, `ips lists ${got(ip)} more than once. Fix: list each address once.`);
      }
      seen.add(key);
    });
  }

  private validatePorts(ports: ExternalServicePort[]): void {
    if (!Array.isArray(ports) || ports.length === 0) {
      throw new ValidationError(this,
        `ports must list at least one port (got ${got(ports)}); the port is what connect() hands to the app. `
        + 'Fix: e.g. ports: [{ name: "postgres", port: 5432 }].');
    }
    const names = new Map<string, number>();
    const numbers = new Map<string, string>();
    ports.forEach((p, i) => {
      assertPortName(this, `ports[${i}].name`, p.name);
      assertPort(this, `ports[${i}].port`, p.port);
      if (p.scheme !== undefined) assertUrlScheme(this, `ports[${i}].scheme`, p.scheme);
      const previous = names.get(p.name);
      if (previous !== undefined) {
        throw new ValidationError(this,
          `ports has two ports named "${p.name}" (${previous} and ${p.port}); port names must be unique within a Service. `
          + 'Fix: give each port its own name.');
      }
      names.set(p.name, p.port);
      const protocol = p.protocol ?? kplus.Protocol.TCP;
      const clash = numbers.get(`${p.port}/${protocol}`);
      if (clash !== undefined) {
        throw new ValidationError(this,
          `ports "${clash}" and "${p.name}" both use ${p.port}/${protocol}; a Service port number may appear once per protocol. `
          + 'Fix: drop the duplicate.');
      }
      numbers.set(`${p.port}/${protocol}`, p.name);
    });
  }

  private validateServiceName(name: string): void {
    assertDns1035Label(this, 'serviceName', name, 'orders-db');
  }
}

/** The kind of address Kubernetes refuses in Endpoints, if `ip` is one. */
function reservedRange(ip: string, family: number): string | undefined {
  if (family === 4) {
    const [a, b, c] = ip.split('.').map(Number);
    if (ip === '0.0.0.0') return 'unspecified';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 224 && b === 0 && c === 0) return 'link-local multicast';
    return undefined;
  }
  const groups = expandIpv6(ip);
  const [first, second] = [Math.floor(groups[0] / 256), groups[0] % 256];
  if (groups.every(g => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every(g => g === 0) && groups[7] === 1) return 'loopback';
  if (groups[0] >= 0xfe80 && groups[0] <= 0xfebf) return 'link-local';
  if (first === 0xff && second % 16 === 2) return 'link-local multicast';
  if (first === 0xff && second % 16 === 1) return 'interface-local multicast';
  // IPv4-mapped addresses (::ffff:a.b.c.d) follow the IPv4 rules
  if (groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff) {
    const v4 = [groups[6], groups[7]].map(g => `${Math.floor(g / 256)}.${g % 256}`).join('.');
    return reservedRange(v4, 4);
  }
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function expandIpv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map(g => parseInt(g, 16));
}
