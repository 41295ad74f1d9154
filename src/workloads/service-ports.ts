import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { PodPort } from '../pod/pattern';
import { ValidationError } from '../pod/validation-error';

/**
 * @internal
 * Binds the Pod's exposed ports to one Service, as they are declared: the
 * first may take a chosen Service port, every other keeps its container port.
 * Kubernetes needs every port of a multi-port Service named, and each
 * Service port once.
 */
export class ServicePortBinder {
  /** The ports bound so far, each with its Service port (a list: a Service has a few). */
  private bound: readonly { readonly servicePort: number; readonly podPort: PodPort }[] = [];

  /**
   * @param scope the workload, named in errors
   * @param service the Service to bind to
   * @param what how errors name the Service, e.g. "Service" or "headless Service"
   * @param firstPort the Service port of the first exposed port @default - its container port
   * @param portProp the prop that chooses `firstPort`, named in the fix
   */
  constructor(
    private readonly scope: IConstruct,
    private readonly service: kplus.Service,
    private readonly what: string,
    private readonly firstPort: number | undefined,
    private readonly portProp: string) {}

  public bind(p: PodPort): void {
    if (!p.exposed) return;
    const unnamed = [...this.bound.map(b => b.podPort), p].find(x => !x.name);
    if (this.bound.length > 0 && unnamed) {
      throw new ValidationError(this.scope,
        `port ${unnamed.port} of container "${unnamed.containerName}" has no name, but the ${this.what} exposes several ports and `
        + 'Kubernetes requires every port of a multi-port Service to be named. Fix: name the port (ports: [{ number, name: "http" }]).');
    }
    const port = this.bound.length === 0 && this.firstPort !== undefined ? this.firstPort : p.port;
    const clash = this.bound.find(b => b.servicePort === port)?.podPort;
    if (clash) {
      throw new ValidationError(this.scope,
        `${this.what} port ${port} is taken twice: by port ${clash.port} of container "${clash.containerName}" and by port ${p.port} `
        + `of container "${p.containerName}". Fix: choose another ${this.portProp}.`);
    }
    this.bound = this.bound.concat([{ servicePort: port, podPort: p }]);
    this.service.bind(port, { name: p.name, targetPort: p.port, protocol: p.protocol });
  }
}
