import { IConstruct } from 'constructs';
import { IEndpoint } from '../dependencies/endpoint';
import { ExternalService } from '../dependencies/external-service';
import { serviceHost } from '../pod/cluster-dns';
import { StatefulService } from '../workloads/stateful-service';
import { StatelessService } from '../workloads/stateless-service';
import { PatternWorkload } from '../workloads/workload-base';

/** @internal what stands behind an endpoint. */
export enum EndpointKind {
  /** A workload of this app, reached through its Service. */
  WORKLOAD = 'workload',
  /** One member of a stateful service of this app, by its stable name. */
  MEMBER = 'member',
  /** An `ExternalService` of this app. */
  EXTERNAL_SERVICE = 'external-service',
  /** A host and port this app knows nothing else about. */
  PLAIN = 'plain',
}

/** @internal an endpoint, with what the app knows about it. */
export interface EndpointTarget {
  readonly kind: EndpointKind;
  readonly endpoint: IEndpoint;
  /** The workload behind a WORKLOAD or MEMBER endpoint. */
  readonly workload?: PatternWorkload;
  /** The member's ordinal, for a MEMBER endpoint. */
  readonly ordinal?: number;
  /** The external service behind an EXTERNAL_SERVICE endpoint. */
  readonly external?: ExternalService;
}

interface Known {
  readonly kind: EndpointKind;
  readonly workload?: PatternWorkload;
  readonly ordinal?: number;
  readonly external?: ExternalService;
}

/**
 * @internal
 * Tells, for any endpoint, whether it is a workload, a member of a stateful
 * service or an external service of the same app: by identity, or by its
 * DNS name, so that `Endpoint.of(web.host, 80)` is recognized as well.
 */
export class EndpointIndex {
  private readonly byHost = new Map<string, Known>();

  constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      if (c instanceof StatelessService) {
        // without ports it has no Service, and so no name
        if (c.service) this.note(c.host, { kind: EndpointKind.WORKLOAD, workload: c });
      } else if (c instanceof StatefulService) {
        // its own host is member 0's: a member, by name, first
        c.memberHosts.forEach((m, ordinal) => this.note(m, { kind: EndpointKind.MEMBER, workload: c, ordinal }));
        this.note(serviceHost(c.headlessService.name, c.namespace), { kind: EndpointKind.WORKLOAD, workload: c });
        if (c.service) this.note(serviceHost(c.service.name, c.namespace), { kind: EndpointKind.WORKLOAD, workload: c });
      } else if (c instanceof ExternalService) {
        this.note(c.host, { kind: EndpointKind.EXTERNAL_SERVICE, external: c });
      }
    }
  }

  /** What stands behind `endpoint`. */
  public classify(endpoint: IEndpoint): EndpointTarget {
    if (endpoint instanceof StatelessService || endpoint instanceof StatefulService) {
      return { kind: EndpointKind.WORKLOAD, endpoint, workload: endpoint };
    }
    if (endpoint instanceof ExternalService) return { kind: EndpointKind.EXTERNAL_SERVICE, endpoint, external: endpoint };
    const known = this.byHost.get(endpoint.host);
    return known ? { ...known, endpoint } : { kind: EndpointKind.PLAIN, endpoint };
  }

  private note(host: string, known: Known): void {
    // the first construct with a name keeps it; names are unique in a namespace anyway
    if (!this.byHost.has(host)) this.byHost.set(host, known);
  }
}
