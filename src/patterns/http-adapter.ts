import { posix } from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { NGINX_MAX_ROUTE_PATH, NGINX_MAX_UPSTREAM_PATH, NGINX_TMP_DIR, NginxRoute, renderNginxConfig } from './nginx-config';
import { assertNotAnAppPort, assertPatternImage, assertPatternName, copyResources, wholeMillis } from './pattern-checks';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertNonRootUser, assertPort, assertPortName, isPortName } from '../pod/validators';

/**
 * One path the adapter serves, and the path of the app it is answered from.
 */
export interface HttpRoute {
  /**
   * The path the adapter serves (matched exactly), e.g. "/health": at most
   * 256 characters of letters, digits and `. _ ~ ! * + , = : @ / -`, in its
   * normal form (no `//`, `.` or `..` segments, no `%` escapes), because nginx
   * matches routes against the decoded, normalized request path.
   */
  readonly path: string;

  /**
   * The app's path the request is forwarded to, e.g. "/metrics": at most
   * 4000 characters. May carry a query string and `%` escapes, which are
   * sent to the app as written.
   */
  readonly upstreamPath: string;
}

/**
 * Props of an {@link HttpAdapter}.
 */
export interface HttpAdapterProps {
  /**
   * The pattern's name: it names the adapter container and the ConfigMap of
   * its configuration, and must be unique among the patterns of a workload.
   * A DNS-1123 label of at most 56 characters (it also names the volumes
   * `<name>-config` and `<name>-tmp`).
   * @default "http-adapter"
   */
  readonly name?: string;

  /**
   * The port the adapter serves on (on every address of the Pod). It must
   * differ from every port of the app container.
   */
  readonly port: number;

  /**
   * The name of the adapter's port (IANA service name, at most 15 characters).
   * @default - the pattern name, which must then be a valid port name
   */
  readonly portName?: string;

  /**
   * The paths the adapter serves. Every other path answers 404.
   */
  readonly routes: HttpRoute[];

  /**
   * The app's HTTP port on localhost.
   * @default - the first port of the app container
   */
  readonly appPort?: number;

  /**
   * Expose the adapter's port on the workload's Service.
   * @default false - the port is reachable on the Pod's address only (probes, scrapers)
   */
  readonly expose?: boolean;

  /**
   * How long the adapter waits for the app's answer, in whole seconds.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * Resources of the adapter container.
   * @default - SecureDefaults.sidecarResources(): requests 50m CPU / 64Mi, limits 200m CPU / 128Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * The nginx image. It must be pinned, run as `user`, and provide `nginx`
   * on the PATH.
   * @default HttpAdapter.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * The numeric user (and group) nginx runs as; the image's files must be
   * readable by it.
   * @default HttpAdapter.NGINX_USER (101, "nginx" in the unprivileged nginx image)
   */
  readonly user?: number;
}

/**
 * The adapter pattern for HTTP: an nginx sidecar that presents the app in a
 * standard shape on its own named port, by mapping standard paths onto the
 * app's own, e.g. `/health` answered from the app's `/metrics`. The app is not
 * changed.
 *
 * The adapter:
 * - serves only the listed routes (exact paths) and answers 404 to the rest;
 * - keeps its connections to the app alive and reuses them;
 * - runs unprivileged with a read-only root filesystem; its pid file and
 *   temporary files go to an emptyDir mounted at `/tmp`.
 *
 * Its nginx.conf is rendered into a ConfigMap, whose hash rolls the Pods when
 * it changes.
 *
 * @see https://kubernetes.io/blog/2015/06/the-distributed-system-toolkit-patterns/
 */
export class HttpAdapter implements IPodPattern {
  /** The default nginx image (see `DefaultImages`). */
  public static readonly DEFAULT_IMAGE = DefaultImages.NGINX_UNPRIVILEGED;

  /** The numeric user of the unprivileged nginx image ("nginx"). */
  public static readonly NGINX_USER = 101;

  /** Where the configuration is mounted in the adapter container. */
  public static readonly CONFIG_DIR = '/etc/nginx-adapter';

  /** The key (file name) of the configuration in its ConfigMap. */
  public static readonly CONFIG_FILE = 'nginx.conf';

  /** Where the adapter's writable emptyDir is mounted (pid file, temporary files). */
  public static readonly TMP_DIR = NGINX_TMP_DIR;

  /** The pattern's name, which is also the name of the adapter container. */
  public readonly name: string;

  /** The port the adapter serves on. */
  public readonly port: number;

  /** The nginx image. */
  public readonly image: string;

  /** The numeric user (and group) nginx runs as. */
  public readonly user: number;

  private readonly portName: string;
  private readonly routes: NginxRoute[];
  private readonly appPort?: number;
  private readonly expose: boolean;
  private readonly timeoutSeconds: number;
  private readonly resources?: kplus.ContainerResources;

  constructor(props: HttpAdapterProps) {
    this.name = props?.name ?? 'http-adapter';
    const scope = ValidationError.patternSubject('HttpAdapter', this.name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass port and routes.');
    assertPatternName(scope, this.name, ['-config', '-tmp']);
    assertPort(scope, 'port', props.port);
    if (props.appPort !== undefined) assertPort(scope, 'appPort', props.appPort);
    if (props.appPort !== undefined && props.appPort === props.port) {
      throw new ValidationError(scope, `port and appPort are both ${props.port}; the adapter cannot listen on the app's port. `
        + 'Fix: choose another port for the adapter.');
    }
    this.port = props.port;
    this.appPort = props.appPort;
    if (props.portName !== undefined) {
      assertPortName(scope, 'portName', props.portName);
    } else if (!isPortName(this.name)) {
      throw new ValidationError(scope, `portName defaults to the pattern name, but ${got(this.name)} is not a valid port name `
        + '(an IANA service name: at most 15 lowercase letters, digits and single \'-\'). Fix: set portName, e.g. "health".');
    }
    this.portName = props.portName ?? this.name;
    this.expose = props.expose ?? false;
    this.image = props.image ?? HttpAdapter.DEFAULT_IMAGE;
    assertPatternImage(scope, this.image, `pass a pinned nginx image like "${HttpAdapter.DEFAULT_IMAGE}", or leave image unset.`);
    this.user = props.user ?? HttpAdapter.NGINX_USER;
    assertNonRootUser(scope, 'user', this.user, `use the numeric user the image runs nginx as, e.g. ${HttpAdapter.NGINX_USER} for the unprivileged nginx image.`);
    this.resources = copyResources(props.resources);

    const timeout = props.timeout ?? Duration.seconds(30);
    const timeoutMs = wholeMillis(scope, 'timeout', timeout);
    if (timeoutMs < 1000 || timeoutMs % 1000 !== 0) {
      throw new ValidationError(scope, `timeout must be a whole number of seconds, at least 1 (got ${timeoutMs} ms). `
        + 'Fix: use e.g. Duration.seconds(30) (the default).');
    }
    this.timeoutSeconds = timeoutMs / 1000;
    this.routes = checkRoutes(scope, props.routes);
  }

  /** @internal the routes, in order. */
  public get _routes(): HttpRoute[] {
    return this.routes.map(r => ({ ...r }));
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('HttpAdapter', this.name);
    assertNotAnAppPort(scope, host, 'port', this.port, 'give the adapter its own port.');
    const appPort = this.appPort ?? host.mainPorts[0]?.port;
    if (appPort === undefined) {
      throw new ValidationError(scope, `appPort was not given and the app container "${host.mainContainerName}" declares no ports, `
        + 'so the adapter does not know where the app listens. Fix: set appPort, or declare the port on the app container.');
    }

    const content = renderNginxConfig({
      name: this.name, port: this.port, appPort, timeoutSeconds: this.timeoutSeconds, routes: this.routes,
    });
    const config = host.addConfigMap('Config', [{ key: HttpAdapter.CONFIG_FILE, content }]);
    const configVolume = host.configMapVolume(config, `${this.name}-config`);
    const tmp = `${this.name}-tmp`;
    host.sharedVolume(tmp, { sizeLimit: Size.mebibytes(64) });
    const container = host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['nginx'],
      args: ['-e', 'stderr', '-c', `${HttpAdapter.CONFIG_DIR}/${HttpAdapter.CONFIG_FILE}`],
      ports: [{ number: this.port, name: this.portName }],
      resources: this.resources,
      securityContext: { user: this.user, group: this.user },
      namedMounts: [{ volume: tmp, path: HttpAdapter.TMP_DIR }],
    });
    container.mount(HttpAdapter.CONFIG_DIR, configVolume, { readOnly: true });
    host.declarePort(container.name, { name: this.portName, port: this.port, expose: this.expose });
  }
}

/** Characters allowed in a route path: RFC 3986 path characters without quotes and parentheses. */
const URL_PATH = /^\/[A-Za-z0-9._~!*+,=:@%/-]*$/;

/** A path with an optional query string. */
const URL_PATH_AND_QUERY = /^\/[A-Za-z0-9._~!*+,=:@%/-]*(\?[A-Za-z0-9._~!*+,=:@%/?&-]*)?$/;

/** The routes, copied, each path checked against what nginx can match and listed once. */
function checkRoutes(scope: string, routes: HttpRoute[]): NginxRoute[] {
  if (!Array.isArray(routes) || routes.length === 0) {
    throw new ValidationError(scope, `routes must list at least one route (got ${got(routes)}). `
      + 'Fix: map a path the adapter serves to a path of the app, e.g. routes: [{ path: "/health", upstreamPath: "/metrics" }].');
  }
  const paths = new Set<string>();
  return routes.map(r => {
    for (const [key, value] of [['path', r?.path], ['upstreamPath', r?.upstreamPath]] as const) {
      if (typeof value !== 'string' || !value.startsWith('/')) {
        throw new ValidationError(scope, `route ${key} must be an absolute URL path starting with "/" (got ${got(value)}). `
          + 'Fix: write it like "/health".');
      }
      const max = key === 'path' ? NGINX_MAX_ROUTE_PATH : NGINX_MAX_UPSTREAM_PATH;
      if (value.length > max) {
        const reason = key === 'path' ? 'nginx before 1.23.4 never matches a longer route'
          : 'nginx refuses longer parameters in its configuration';
        throw new ValidationError(scope, `route ${key} must have at most ${max} characters, as ${reason} `
          + `(got ${value.length} characters, starting ${got(value.slice(0, 20))}). Fix: use a shorter path.`);
      }
    }
    if (!URL_PATH.test(r.path)) {
      throw new ValidationError(scope, `route path ${got(r.path)} may only contain letters, digits and the URL path characters `
        + '. _ ~ ! * + , = : @ % / - (no spaces, quotes, query strings or nginx syntax). Fix: write it like "/health".');
    }
    if (r.path.includes('%')) {
      throw new ValidationError(scope, `route path ${got(r.path)} contains a percent-encoded character; nginx matches routes `
        + `against the decoded request path, so this route would answer requests for ${got(r.path.replace(/%/g, '%25'))} instead. `
        + 'Fix: use a path of plain URL characters, e.g. "/health".');
    }
    const normal = normalForm(r.path);
    if (normal !== r.path) {
      throw new ValidationError(scope, `route path ${got(r.path)} has an empty, "." or ".." segment; nginx merges "//" and resolves `
        + '"." and ".." in the request path before it matches routes, so this route would never match. '
        + `Fix: write the path in its normal form, ${got(normal)}.`);
    }
    if (!URL_PATH_AND_QUERY.test(r.upstreamPath)) {
      throw new ValidationError(scope, `route upstreamPath ${got(r.upstreamPath)} may only contain letters, digits, the URL path `
        + 'characters . _ ~ ! * + , = : @ % / - and a query string (no spaces, quotes or nginx syntax). Fix: write it like "/metrics".');
    }
    if (paths.has(r.path)) {
      throw new ValidationError(scope, `route path "${r.path}" is listed twice; each path can be answered from only one upstream `
        + 'path. Fix: keep one route per path.');
    }
    paths.add(r.path);
    return { path: r.path, upstreamPath: r.upstreamPath };
  });
}

/** A path as nginx matches it: "//" merged, "." and ".." resolved, a trailing "/" kept. */
function normalForm(path: string): string {
  const normal = posix.normalize(path);
  return /\/\.{0,2}$/.test(path) && !normal.endsWith('/') ? `${normal}/` : normal;
}
