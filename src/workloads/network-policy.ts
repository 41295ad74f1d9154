import { Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { PodPort } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { isDnsLabel } from '../pod/validators';

/** One label of a Pod selector. */
export interface PodLabel {
  /** Label key. */
  readonly key: string;
  /** Label value. */
  readonly value: string;
}

/**
 * A group of Pods a NetworkPolicy can name as a peer: every workload of this
 * library, or any construct that knows the labels its Pods carry.
 */
export interface IPodGroup extends IConstruct {
  /** The labels that select the group's Pods (all must match). */
  podSelectorLabels(): PodLabel[];
}

/**
 * Who may open connections to a workload whose ingress is restricted.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkPeer {
  /**
   * The Pods of another workload of this library (in its own namespace when
   * its chart sets one).
   */
  public static workload(workload: IPodGroup): NetworkPeer {
    return new NetworkPeer(scope => {
      const labels: { [key: string]: string } = {};
      for (const l of workload.podSelectorLabels()) labels[l.key] = l.value;
      const peer: any = { podSelector: { matchLabels: labels } };
      const theirs = Chart.of(workload).namespace;
      const ours = Chart.of(scope).namespace;
      if (theirs !== undefined && theirs !== ours) {
        peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': theirs } };
      }
      return peer;
    }, 'workload');
  }

  /** Every Pod of a namespace (matched by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): NetworkPeer {
    if (!isDnsLabel(name)) {
      throw new ValidationError('NetworkPeer.namespace', `${got(name)} is not a namespace name (a DNS-1123 label). Fix: pass e.g. "ingress-nginx".`);
    }
    return new NetworkPeer(() => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }), `namespace ${name}`);
  }

  /** Clients in an IP range, e.g. a load balancer's subnet. */
  public static ipBlock(cidr: string): NetworkPeer {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr ?? '');
    const v6 = /^[0-9a-fA-F:]+\/(\d{1,3})$/.exec(cidr ?? '');
    const okV4 = v4 && v4.slice(1, 5).every(o => Number(o) <= 255) && Number(v4[5]) <= 32;
    const okV6 = v6 && cidr.includes(':') && Number(v6[1]) <= 128;
    if (!okV4 && !okV6) {
      throw new ValidationError('NetworkPeer.ipBlock', `${got(cidr)} is not a CIDR block. Fix: pass e.g. "10.0.0.0/16".`);
    }
    return new NetworkPeer(() => ({ ipBlock: { cidr } }), `ipBlock ${cidr}`);
  }

  private constructor(private readonly render: (scope: Construct) => any, private readonly label: string) {}

  /** @internal */
  public _render(scope: Construct): any {
    return this.render(scope);
  }

  /** @internal */
  public _describe(): string {
    return this.label;
  }
}

/**
 * Restrict who may connect to a service's Pods.
 */
export interface IngressPolicyOptions {
  /**
   * The peers allowed to connect. They may reach only the ports the workload
   * exposes (its main container's ports and pattern ports marked `expose`);
   * every other connection to the Pods is dropped.
   * An empty list denies all ingress.
   */
  readonly allowFrom: NetworkPeer[];
}

/**
 * @internal
 * Renders the NetworkPolicy of a workload: only `allowFrom` peers, only exposed ports.
 */
export function renderIngressPolicy(scope: Construct, id: string, options: IngressPolicyOptions,
  podLabels: () => { [key: string]: string }, ports: () => PodPort[]): kplus.k8s.KubeNetworkPolicy {
  if (!options || !Array.isArray(options.allowFrom) || options.allowFrom.some(p => !(p instanceof NetworkPeer))) {
    throw new ValidationError(scope, `ingressPolicy.allowFrom must be a list of NetworkPeer (got ${got(options?.allowFrom)}). `
      + 'Fix: use NetworkPeer.workload(...), NetworkPeer.namespace(...) or NetworkPeer.ipBlock(...); [] denies all ingress.');
  }
  return new kplus.k8s.KubeNetworkPolicy(scope, id, {
    spec: {
      podSelector: Lazy.any({ produce: () => ({ matchLabels: podLabels() }) }),
      policyTypes: ['Ingress'],
      ingress: Lazy.any({
        produce: () => {
          const exposed = ports().filter(p => p.exposed);
          if (options.allowFrom.length === 0 || exposed.length === 0) return [];
          return [{
            from: options.allowFrom.map(p => p._render(scope)),
            ports: exposed.map(p => ({ port: kplus.k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })),
          }];
        },
      }),
    },
  });
}
