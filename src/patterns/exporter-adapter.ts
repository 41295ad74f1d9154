import * as kplus from 'cdk8s-plus-27';
import { checkMainTarget, checkMounts, copyMounts, joinSharedVolumes } from './named-mounts';
import { assertNotAnAppPort, assertPatternImage, assertPatternName, copyResources } from './pattern-checks';
import { EnvVar, IPodPattern, NamedMount, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertDnsLabel, assertEnvName, assertNonRootUser, assertPort, assertPortName } from '../pod/validators';

/**
 * Props of an {@link ExporterAdapter}.
 */
export interface ExporterAdapterProps {
  /**
   * The pattern's name: it names the exporter container and must be unique
   * among the patterns of a workload.
   * @default "exporter"
   */
  readonly name?: string;

  /**
   * The exporter image, pinned to a version, e.g. "oliver006/redis_exporter:v1.62.0".
   * There is no default: each app has its own exporter.
   */
  readonly image: string;

  /** The port the exporter serves metrics on. It must differ from every port of the app container. */
  readonly port: number;

  /**
   * The name of the exporter's port (IANA service name, at most 15 characters).
   * @default "metrics"
   */
  readonly portName?: string;

  /**
   * The path the exporter serves metrics on.
   * @default "/metrics"
   */
  readonly path?: string;

  /**
   * Environment variables of the exporter, e.g. the app's address on
   * localhost.
   * @default - none
   */
  readonly env?: EnvVar[];

  /**
   * Arguments of the exporter (its image's entrypoint is kept).
   * @default - the image's default arguments
   */
  readonly args?: string[];

  /**
   * The numeric user (and group) the exporter runs as.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;

  /**
   * Add the scrape annotations `prometheus.io/scrape`, `prometheus.io/port`
   * and `prometheus.io/path` to the Pod.
   * @default true
   */
  readonly scrapeAnnotations?: boolean;

  /**
   * Expose the exporter's port on the workload's Service.
   * @default false - scraped on the Pod's address
   */
  readonly expose?: boolean;

  /**
   * Resources of the exporter container.
   * @default - SecureDefaults.sidecarResources(): requests 50m CPU / 64Mi, limits 200m CPU / 128Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Volumes the exporter mounts, by name, e.g. a volume the app writes its
   * statistics to, mounted read-only. Volumes that are neither listed in
   * `sharedVolumes` nor created by the exporter must already exist in the
   * Pod (a volume claim template, a volume of another pattern).
   * @default - none
   */
  readonly mounts?: NamedMount[];

  /**
   * Volumes mounted into the main container, by name: typically the volume
   * the app writes and the exporter reads.
   * @default - none
   */
  readonly mainMounts?: NamedMount[];

  /**
   * Names of the shared emptyDir volumes the exporter creates, or joins when
   * another pattern created them first.
   * @default - every volume named in `mounts` and `mainMounts`
   */
  readonly sharedVolumes?: string[];
}

/**
 * The adapter pattern for metrics: a Prometheus exporter sidecar that
 * translates the app's own status into metrics, for an app that has none.
 * It gets a named port and the usual scrape annotations on the Pod.
 *
 * The exporter runs with a read-only root filesystem as a numeric non-root
 * user.
 *
 * @see https://prometheus.io/docs/instrumenting/exporters/
 */
export class ExporterAdapter implements IPodPattern {
  /** Pod annotation that asks Prometheus to scrape the Pod. */
  public static readonly SCRAPE_ANNOTATION = 'prometheus.io/scrape';

  /** Pod annotation with the port to scrape. */
  public static readonly PORT_ANNOTATION = 'prometheus.io/port';

  /** Pod annotation with the path to scrape. */
  public static readonly PATH_ANNOTATION = 'prometheus.io/path';

  /** The pattern's name, which is also the name of the exporter container. */
  public readonly name: string;

  /** The exporter image. */
  public readonly image: string;

  /** The port the exporter serves metrics on. */
  public readonly port: number;

  /** The path the exporter serves metrics on. */
  public readonly path: string;

  /** The numeric user (and group) the exporter runs as. */
  public readonly user: number;

  private readonly portName: string;
  private readonly env: EnvVar[];
  private readonly args?: string[];
  private readonly scrapeAnnotations: boolean;
  private readonly expose: boolean;
  private readonly resources?: kplus.ContainerResources;
  private readonly mounts: NamedMount[];
  private readonly mainMounts: NamedMount[];
  private readonly sharedVolumes?: string[];

  constructor(props: ExporterAdapterProps) {
    this.name = props?.name ?? 'exporter';
    const scope = ValidationError.patternSubject('ExporterAdapter', this.name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass image and port.');
    assertPatternName(scope, this.name, []);
    assertPatternImage(scope, props.image, 'pass a pinned exporter image, e.g. "oliver006/redis_exporter:v1.62.0".');
    this.image = props.image;
    assertPort(scope, 'port', props.port);
    this.port = props.port;
    this.portName = props.portName ?? 'metrics';
    assertPortName(scope, 'portName', this.portName);
    this.path = props.path ?? '/metrics';
    if (typeof this.path !== 'string' || !/^\/[A-Za-z0-9._~!*+,=:@%/-]*$/.test(this.path)) {
      throw new ValidationError(scope, `path must be an absolute URL path like "/metrics" (got ${got(this.path)}). `
        + 'Fix: use the path the exporter serves metrics on, e.g. "/metrics".');
    }
    this.user = props.user ?? SecureDefaults.NON_ROOT_USER;
    assertNonRootUser(scope, 'user', this.user, 'use the numeric user the exporter image runs as, e.g. 59000.');
    const names = new Set<string>();
    this.env = (props.env ?? []).map(e => {
      assertEnvName(scope, 'env var name', e?.name);
      if (names.has(e.name)) {
        throw new ValidationError(scope, `env var ${got(e.name)} is listed twice. Fix: set each variable once.`);
      }
      names.add(e.name);
      return { name: e.name, value: e.value };
    });
    this.args = props.args ? [...props.args] : undefined;
    this.scrapeAnnotations = props.scrapeAnnotations ?? true;
    this.expose = props.expose ?? false;
    this.resources = copyResources(props.resources);
    checkMounts(scope, 'mounts', props.mounts);
    checkMounts(scope, 'mainMounts', props.mainMounts);
    for (const v of props.sharedVolumes ?? []) assertDnsLabel(scope, 'shared volume name', v);
    this.mounts = copyMounts(props.mounts);
    this.mainMounts = copyMounts(props.mainMounts);
    this.sharedVolumes = props.sharedVolumes ? [...props.sharedVolumes] : undefined;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('ExporterAdapter', this.name);
    assertNotAnAppPort(scope, host, 'port', this.port, 'give the adapter its own port.');
    for (const m of this.mainMounts) checkMainTarget(scope, host, 'mainMounts path', m.path);
    joinSharedVolumes(host, this.mounts, this.mainMounts, this.sharedVolumes);
    const envVariables: { [name: string]: kplus.EnvValue } = {};
    for (const e of this.env) envVariables[e.name] = e.value;

    const container = host.addSidecar({
      name: this.name,
      image: this.image,
      args: this.args ? [...this.args] : undefined,
      envVariables,
      ports: [{ number: this.port, name: this.portName }],
      resources: this.resources,
      securityContext: { user: this.user, group: this.user },
      namedMounts: this.mounts,
    });
    for (const m of this.mainMounts) host.mountOnMain(m);
    host.declarePort(container.name, { name: this.portName, port: this.port, expose: this.expose });
    if (this.scrapeAnnotations) {
      host.addPodAnnotation(ExporterAdapter.SCRAPE_ANNOTATION, 'true');
      host.addPodAnnotation(ExporterAdapter.PORT_ANNOTATION, String(this.port));
      host.addPodAnnotation(ExporterAdapter.PATH_ANNOTATION, this.path);
    }
  }
}
