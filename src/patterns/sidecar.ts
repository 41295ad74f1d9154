import * as kplus from 'cdk8s-plus-27';
import { CheckedCustomContainer, checkCustomContainer, customContainerOptions } from './custom-container';
import { CustomContainerProps } from './custom-container-props';
import { assertNotAnAppPort, copyResources } from './pattern-checks';
import { IPodPattern, PatternPort, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { ValidationError } from '../pod/validation-error';
import { assertPort, assertPortName } from '../pod/validators';

/**
 * Props of a {@link Sidecar}.
 */
export interface SidecarProps extends CustomContainerProps {
  /**
   * Ports the sidecar listens on. They are container ports of the sidecar
   * and take part in the Pod's rules (no two containers on one port); each
   * is on the workload's Service only when `expose` is true.
   * @default - none
   */
  readonly ports?: PatternPort[];

  /**
   * Resources of the sidecar.
   * @default SecureDefaults.sidecarResources() - requests 50m CPU / 64Mi memory, limits 200m CPU / 128Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Readiness probe of the sidecar. A native sidecar (`SidecarMode.NATIVE`)
   * that is not ready keeps the Pod from being Ready.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#sidecar-containers-and-pod-lifecycle
   */
  readonly readiness?: kplus.Probe;

  /**
   * Liveness probe of the sidecar: the kubelet restarts it when the probe fails.
   * @default - none
   */
  readonly liveness?: kplus.Probe;

  /**
   * Startup probe of the sidecar. For a native sidecar, the next init
   * container (or the app) starts only once it succeeds.
   * @default - none
   */
  readonly startup?: kplus.Probe;
}

/**
 * A general-purpose sidecar: one container that runs next to the app for the
 * whole life of the Pod (e.g. a git poller that keeps a shared volume up to
 * date for a web server). The counterpart of `InitStep`, for work that does
 * not end.
 *
 * It mounts named volumes, declares its ports through the workload (so they
 * are rendered as container ports and checked against every other port of
 * the Pod), and runs hardened like every container of the library. In
 * `SidecarMode.NATIVE` it is an init container with `restartPolicy: Always`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export class Sidecar implements IPodPattern {
  public readonly name: string;

  /** The image the sidecar runs. */
  public readonly image: string;

  /** The numeric user the sidecar runs as. */
  public readonly user: number;

  private readonly container: CheckedCustomContainer;
  private readonly ports: PatternPort[];
  private readonly resources: kplus.ContainerResources;
  private readonly readiness?: kplus.Probe;
  private readonly liveness?: kplus.Probe;
  private readonly startup?: kplus.Probe;

  constructor(props: SidecarProps) {
    const scope = typeof props?.name === 'string' ? ValidationError.patternSubject('Sidecar', props.name) : 'Sidecar';
    this.container = checkCustomContainer(scope, props, { name: 'git-sync', image: 'alpine/git:2.45.2' });
    const portNumbers = new Set<number>();
    this.ports = (props.ports ?? []).map(p => {
      assertPort(scope, 'port', p?.port);
      assertPortName(scope, 'port name', p.name);
      if (portNumbers.has(p.port)) {
        throw new ValidationError(scope, `port ${p.port} is listed twice. Fix: list each port once.`);
      }
      portNumbers.add(p.port);
      return { name: p.name, port: p.port, expose: p.expose, protocol: p.protocol };
    });
    this.name = this.container.name;
    this.image = this.container.image;
    this.user = this.container.user;
    this.resources = copyResources(props.resources) ?? SecureDefaults.sidecarResources();
    this.readiness = props.readiness;
    this.liveness = props.liveness;
    this.startup = props.startup;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('Sidecar', this.name);
    for (const p of this.ports) assertNotAnAppPort(scope, host, 'port', p.port, 'give the sidecar its own port.');
    const container = host.addSidecar({
      ...customContainerOptions(scope, host, this.container),
      ports: this.ports.map(p => ({ number: p.port, name: p.name, protocol: p.protocol })),
      resources: this.resources,
      readiness: this.readiness,
      liveness: this.liveness,
      startup: this.startup,
    });
    for (const p of this.ports) host.declarePort(container.name, p);
    for (const m of this.container.mainMounts) host.mountOnMain(m);
  }
}
