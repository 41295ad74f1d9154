import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { got } from '../pod/validation-error';
import { isPort } from '../pod/validators';

/**
 * One path the adapter serves, and the path of the app it is answered from.
 */
export interface HttpRoute {
  /** The path the adapter serves (matched exactly), e.g. "/health". */
  readonly path: string;

  /**
   * The app's path the request is forwarded to, e.g. "/metrics". May carry
   * a query string.
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
   * How long the adapter waits for the app's answer.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * Resources of the adapter container.
   * @default - SecureDefaults.sidecarResources(): requests 50m CPU / 64Mi, limits 200m CPU / 128Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * The nginx image. It must be pinned, run as the numeric user
   * `HttpAdapter.NGINX_USER`, and provide `nginx` on the PATH.
   * @default HttpAdapter.DEFAULT_IMAGE
   */
  readonly image?: string;
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
  /** The default nginx image. */
  public static readonly DEFAULT_IMAGE = 'nginxinc/nginx-unprivileged:1.27.2-alpine';

  /** The numeric user of the unprivileged nginx image ("nginx"). */
  public static readonly NGINX_USER = 101;

  /** Where the configuration is mounted in the adapter container. */
  public static readonly CONFIG_DIR = '/etc/nginx-adapter';

  /** The key (file name) of the configuration in its ConfigMap. */
  public static readonly CONFIG_FILE = 'nginx.conf';

  /** Where the adapter's writable emptyDir is mounted (pid file, temporary files). */
  public static readonly TMP_DIR = '/tmp';

  /** The pattern's name, which is also the name of the adapter container. */
  public readonly name: string;

  /** The port the adapter serves on. */
  public readonly port: number;

  /** The nginx image. */
  public readonly image: string;

  private readonly portName?: string;
  private readonly routes: HttpRoute[];
  private readonly appPort?: number;
  private readonly expose: boolean;
  private readonly timeout: Duration;
  private readonly resources?: kplus.ContainerResources;

  constructor(props: HttpAdapterProps) {
    this.name = props.name ?? 'http-adapter';
    const fail = (message: string): never => {
      throw new Error(`HttpAdapter "${this.name}": ${message}`);
    };
    checkPort(fail, 'port', props.port);
    if (props.appPort !== undefined) checkPort(fail, 'appPort', props.appPort);
    if (props.appPort !== undefined && props.appPort === props.port) {
      fail(`port and appPort are both ${props.port}; the adapter cannot listen on the app's port. Fix: choose another port for the adapter.`);
    }
    this.port = props.port;
    this.portName = props.portName;
    this.appPort = props.appPort;
    this.expose = props.expose ?? false;
    this.image = props.image ?? HttpAdapter.DEFAULT_IMAGE;
    this.resources = props.resources;
    this.timeout = props.timeout ?? Duration.seconds(30);
    const timeoutMs = this.timeout.toMilliseconds();
    if (timeoutMs < 1000 || timeoutMs % 1000 !== 0) {
      fail(`timeout must be a whole number of seconds, at least 1 (got ${timeoutMs} ms).`);
    }

    if (!Array.isArray(props.routes) || props.routes.length === 0) {
      fail(`routes must list at least one route (got ${got(props.routes)}). `
        + 'Fix: map a path the adapter serves to a path of the app, e.g. routes: [{ path: "/health", upstreamPath: "/metrics" }].');
    }
    const paths = new Set<string>();
    for (const r of props.routes) {
      for (const [key, value] of [['path', r?.path], ['upstreamPath', r?.upstreamPath]] as const) {
        if (typeof value !== 'string' || !value.startsWith('/')) {
          fail(`route ${key} must be an absolute URL path starting with "/" (got ${got(value)}). Fix: write it like "/health".`);
        }
      }
      if (!URL_PATH.test(r.path)) {
        fail(`route path ${got(r.path)} may only contain letters, digits and the URL path characters . _ ~ ! * + , = : @ % / - `
          + '(no spaces, quotes, query strings or nginx syntax).');
      }
      if (!URL_PATH_AND_QUERY.test(r.upstreamPath)) {
        fail(`route upstreamPath ${got(r.upstreamPath)} may only contain letters, digits, the URL path characters `
          + '. _ ~ ! * + , = : @ % / - and a query string (no spaces, quotes or nginx syntax).');
      }
      if (paths.has(r.path)) {
        fail(`route path "${r.path}" is listed twice; each path can be answered from only one upstream path. `
          + 'Fix: keep one route per path.');
      }
      paths.add(r.path);
    }
    this.routes = props.routes.map(r => ({ path: r.path, upstreamPath: r.upstreamPath }));
  }

  /** @internal the routes, in order. */
  public get _routes(): HttpRoute[] {
    return this.routes.map(r => ({ ...r }));
  }

  public attach(host: PodPatternHost): void {
    const fail = (message: string): never => {
      throw new Error(`HttpAdapter "${this.name}": ${message}`);
    };
    checkAgainstAppPorts(fail, host, 'port', this.port);
    const appPort = this.appPort ?? host.mainPorts[0]?.port;
    if (appPort === undefined) {
      fail(`appPort was not given and the app container "${host.mainContainerName}" declares no ports, so the adapter `
        + 'does not know where the app listens. Fix: set appPort, or declare the port on the app container.');
    }
    const portName = this.portName ?? defaultPortName(fail, this.name);

    const config = host.addConfigMap('Config', [{ key: HttpAdapter.CONFIG_FILE, content: this.renderConfig(appPort!) }]);
    const configVolume = host.configMapVolume(config, `${this.name}-config`);
    const tmp = `${this.name}-tmp`;
    host.sharedVolume(tmp, { sizeLimit: Size.mebibytes(64) });
    const container = host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['nginx'],
      args: ['-e', 'stderr', '-c', `${HttpAdapter.CONFIG_DIR}/${HttpAdapter.CONFIG_FILE}`],
      ports: [{ number: this.port, name: portName }],
      resources: this.resources,
      securityContext: { user: HttpAdapter.NGINX_USER, group: HttpAdapter.NGINX_USER },
      namedMounts: [{ volume: tmp, path: HttpAdapter.TMP_DIR }],
    });
    container.mount(HttpAdapter.CONFIG_DIR, configVolume, { readOnly: true });
    host.declarePort(container.name, { name: portName, port: this.port, expose: this.expose });
  }

  /** A complete nginx.conf, runnable as `nginx -c <file>`. */
  private renderConfig(appPort: number): string {
    const t = HttpAdapter.TMP_DIR;
    const timeout = `${this.timeout.toMilliseconds() / 1000}s`;
    let locations = '';
    for (const r of this.routes) {
      locations += `    location = ${r.path} {\n      proxy_pass http://app${r.upstreamPath};\n    }\n`;
    }
    return `# HttpAdapter "${this.name}": port ${this.port} -> app on 127.0.0.1:${appPort}.
worker_processes 1;
daemon off;
pid ${t}/nginx.pid;
error_log stderr warn;

events {
  worker_connections 512;
}

http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${t}/client_temp;
  proxy_temp_path ${t}/proxy_temp;
  fastcgi_temp_path ${t}/fastcgi_temp;
  uwsgi_temp_path ${t}/uwsgi_temp;
  scgi_temp_path ${t}/scgi_temp;

  upstream app {
    server 127.0.0.1:${appPort};
    keepalive 64;
  }

  server {
    listen ${this.port};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_connect_timeout 5s;
    proxy_read_timeout ${timeout};
    proxy_send_timeout ${timeout};

${locations}
    location / {
      return 404;
    }
  }
}
`;
  }
}

/**
 * An environment variable of an exporter container.
 */
export interface ExporterEnvVar {
  /** Variable name. */
  readonly name: string;
  /** Its value: a literal, or a reference to a Secret or ConfigMap key. */
  readonly value: kplus.EnvValue;
}

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

  /** The exporter image, pinned to a version, e.g. "oliver006/redis_exporter:v1.62.0". */
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
  readonly env?: ExporterEnvVar[];

  /**
   * Arguments of the exporter (its image's entrypoint is kept).
   * @default - the image's default arguments
   */
  readonly args?: string[];

  /**
   * The numeric user the exporter runs as.
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

  /** The port the exporter serves metrics on. */
  public readonly port: number;

  /** The path the exporter serves metrics on. */
  public readonly path: string;

  private readonly props: ExporterAdapterProps;

  constructor(props: ExporterAdapterProps) {
    this.name = props.name ?? 'exporter';
    const fail = (message: string): never => {
      throw new Error(`ExporterAdapter "${this.name}": ${message}`);
    };
    if (typeof props.image !== 'string' || props.image.length === 0) {
      fail(`image is required (got ${got(props.image)}). Fix: pass a pinned exporter image, e.g. "oliver006/redis_exporter:v1.62.0".`);
    }
    checkPort(fail, 'port', props.port);
    this.port = props.port;
    this.path = props.path ?? '/metrics';
    if (!URL_PATH.test(this.path)) {
      fail(`path must be an absolute URL path like "/metrics" (got ${got(this.path)}).`);
    }
    if (props.user !== undefined && (!Number.isInteger(props.user) || props.user < 1)) {
      fail(`user must be a numeric non-root user id >= 1 (got ${got(props.user)}).`);
    }
    const names = new Set<string>();
    for (const e of props.env ?? []) {
      if (names.has(e.name)) fail(`env var ${got(e.name)} is listed twice. Fix: set each variable once.`);
      names.add(e.name);
    }
    this.props = { ...props, env: [...(props.env ?? [])], args: props.args ? [...props.args] : undefined };
  }

  public attach(host: PodPatternHost): void {
    const fail = (message: string): never => {
      throw new Error(`ExporterAdapter "${this.name}": ${message}`);
    };
    checkAgainstAppPorts(fail, host, 'port', this.port);
    const portName = this.props.portName ?? 'metrics';
    const envVariables: { [name: string]: kplus.EnvValue } = {};
    for (const e of this.props.env ?? []) envVariables[e.name] = e.value;

    const container = host.addSidecar({
      name: this.name,
      image: this.props.image,
      args: this.props.args,
      envVariables,
      ports: [{ number: this.port, name: portName }],
      resources: this.props.resources,
      securityContext: this.props.user !== undefined ? { user: this.props.user, group: this.props.user } : undefined,
    });
    host.declarePort(container.name, { name: portName, port: this.port, expose: this.props.expose ?? false });
    if (this.props.scrapeAnnotations ?? true) {
      host.addPodAnnotation(ExporterAdapter.SCRAPE_ANNOTATION, 'true');
      host.addPodAnnotation(ExporterAdapter.PORT_ANNOTATION, String(this.port));
      host.addPodAnnotation(ExporterAdapter.PATH_ANNOTATION, this.path);
    }
  }
}

/** Characters allowed in a route path: RFC 3986 path characters without quotes and parentheses. */
const URL_PATH = /^\/[A-Za-z0-9._~!*+,=:@%/-]*$/;

/** A path with an optional query string. */
const URL_PATH_AND_QUERY = /^\/[A-Za-z0-9._~!*+,=:@%/-]*(\?[A-Za-z0-9._~!*+,=:@%/?&-]*)?$/;

function checkPort(fail: (message: string) => never, key: string, value: number): void {
  if (!isPort(value)) {
    fail(`${key} must be an integer between 1 and 65535 (got ${got(value)}). Fix: use the port the program listens on, e.g. 8080.`);
  }
}

function checkAgainstAppPorts(fail: (message: string) => never, host: PodPatternHost, key: string, port: number): void {
  const clash = host.mainPorts.find(p => p.port === port);
  if (clash) {
    fail(`${key} ${port} is already a port of the app container "${host.mainContainerName}"`
      + `${clash.name ? ` ("${clash.name}")` : ''}; the containers of a Pod share one network namespace, so only one of `
      + 'them can listen on it. Fix: give the adapter its own port.');
  }
}

function defaultPortName(fail: (message: string) => never, name: string): string {
  if (name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    fail(`portName defaults to the pattern name, but ${got(name)} is not a valid port name (an IANA service name: at most `
      + '15 lowercase letters, digits and single \'-\'). Fix: set portName, e.g. "health".');
  }
  return name;
}
