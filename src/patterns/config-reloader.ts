import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { IMountedConfig, IPodPattern, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertDnsLabel, assertNonRootUser, assertPinnedImage, assertPort } from '../pod/validators';

/** Process names the reloader itself runs; signalling them would hit the reloader, not the app. */
const RELOADER_PROCESSES = new Set(['sh', 'sleep', 'md5sum', 'wget']);

/**
 * Signals an app may reload its configuration on.
 */
export enum ReloadSignal {
  /** SIGHUP: nginx, HAProxy (single process), most daemons. */
  HUP = 'HUP',
  /** SIGUSR1. */
  USR1 = 'USR1',
  /** SIGUSR2: HAProxy in master-worker mode. */
  USR2 = 'USR2',
}

/**
 * The HTTP method of a reload call.
 */
export enum ReloadMethod {
  /** POST with an empty body (Prometheus, Alertmanager, Fluent Bit). */
  POST = 'POST',
  /** GET. */
  GET = 'GET',
}

/**
 * Options of `ReloadAction.signal`.
 */
export interface SignalReloadOptions {
  /**
   * Name of the app's process as the kernel shows it (`/proc/<pid>/comm`, at
   * most 15 characters), e.g. "nginx". It is compared with each process's
   * name as a literal string: never a pattern, never an option. When several
   * processes have this name, the oldest (the app's main process) gets the
   * signal.
   */
  readonly processName: string;

  /**
   * The signal.
   * @default ReloadSignal.HUP
   */
  readonly signal?: ReloadSignal;

  /**
   * Numeric user the reloader runs as. Without capabilities a process may
   * only signal processes of its own user, so this must be the app's user:
   * synth fails when it differs from the main container's user (its
   * `securityContext.user`, else the Pod's). When neither sets a user, the
   * image's USER decides, which synth cannot see: then this is required, and
   * the reloader logs every signal the kernel refuses and retries it.
   * @default - the main container's user; required when it sets none
   */
  readonly user?: number;
}

/**
 * How a `ConfigReloader` tells the app that its configuration changed.
 */
export class ReloadAction {
  /**
   * Call the app's reload URL, `http://127.0.0.1:<port><path>`, with a POST.
   *
   * @param port the port the app serves its reload URL on
   * @param path the path of the reload URL, e.g. "/-/reload"
   */
  public static httpPost(port: number, path: string): ReloadAction {
    checkHttp('ReloadAction.httpPost', port, path);
    return new ReloadAction(ReloadMethod.POST, port, path);
  }

  /**
   * Call the app's reload URL, `http://127.0.0.1:<port><path>`, with a GET.
   *
   * @param port the port the app serves its reload URL on
   * @param path the path of the reload URL
   */
  public static httpGet(port: number, path: string): ReloadAction {
    checkHttp('ReloadAction.httpGet', port, path);
    return new ReloadAction(ReloadMethod.GET, port, path);
  }

  /**
   * Send a signal to the app's process. This turns on process namespace
   * sharing for the Pod, so that the reloader can see the app's processes.
   */
  public static signal(options: SignalReloadOptions): ReloadAction {
    checkSignal('ReloadAction.signal', options);
    return new ReloadAction(undefined, undefined, undefined, options);
  }

  /**
   * HTTP method, for an HTTP action.
   * @default - undefined for a signal
   */
  public readonly method?: ReloadMethod;

  /**
   * Port of the reload URL, for an HTTP action.
   * @default - undefined for a signal
   */
  public readonly port?: number;

  /**
   * Path of the reload URL, for an HTTP action.
   * @default - undefined for a signal
   */
  public readonly path?: string;

  /**
   * The reload URL, `http://127.0.0.1:<port><path>`, for an HTTP action.
   * @default - undefined for a signal
   */
  public readonly url?: string;

  /**
   * The signal, for a signal action.
   * @default - undefined for an HTTP action
   */
  public readonly reloadSignal?: ReloadSignal;

  /**
   * The process that gets the signal, for a signal action.
   * @default - undefined for an HTTP action
   */
  public readonly processName?: string;

  /**
   * The user the reloader runs as, for a signal action.
   * @default - undefined for an HTTP action
   */
  public readonly user?: number;

  private constructor(method?: ReloadMethod, port?: number, path?: string, signal?: SignalReloadOptions) {
    this.method = method;
    this.port = port;
    this.path = path;
    this.url = port === undefined ? undefined : `http://127.0.0.1:${port}${path}`;
    if (signal) {
      this.reloadSignal = signal.signal ?? ReloadSignal.HUP;
      this.processName = signal.processName;
      this.user = signal.user;
    }
  }
}

/**
 * Props of a {@link ConfigReloader}.
 */
export interface ConfigReloaderProps {
  /** The mounted configuration to watch. */
  readonly config: IMountedConfig;

  /** How to tell the app. */
  readonly action: ReloadAction;

  /**
   * Name of the pattern and of the sidecar container.
   * @default "config-reloader"
   */
  readonly name?: string;

  /**
   * How often the files (their names and contents) are compared with the
   * last ones seen.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Image of the reloader; it needs a POSIX `sh` with `kill`, `sleep`,
   * `md5sum` and, for an HTTP action, busybox-style `wget`. Must be pinned.
   * @default ConfigReloader.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Numeric user (and group) the reloader runs as, for an HTTP action. A
   * signal action runs as the app's user instead (see
   * `SignalReloadOptions.user`), since the kernel lets a process signal only
   * processes of its own user; setting this with a signal action fails.
   * @default SecureDefaults.NON_ROOT_USER (65532) for an HTTP action
   */
  readonly user?: number;

  /**
   * Resources of the sidecar.
   * @default - requests 5m CPU / 16Mi memory, limits 50m CPU / 32Mi memory
   */
  readonly resources?: kplus.ContainerResources;
}

/**
 * A sidecar that tells the app when its mounted configuration changed.
 *
 * It mounts the same ConfigMap volume as the app (read-only), compares a
 * checksum of the file names and contents every `interval`, and on a change
 * either calls the app's reload URL on localhost or sends the app's process a
 * signal. A failed reload (an HTTP error, no process of that name, or a
 * signal the kernel refuses) is logged and retried at the next interval. It
 * runs as a non-root user with a read-only root filesystem and writes nothing.
 *
 * Which action an app needs:
 * - a reload endpoint (Prometheus and Alertmanager `POST /-/reload` with
 *   `--web.enable-lifecycle`, Fluent Bit `POST /api/v2/reload` with
 *   `hot_reload on`): `ReloadAction.httpPost(port, path)`;
 * - a reload signal (nginx `HUP` to the master, HAProxy in master-worker
 *   mode `USR2`): `ReloadAction.signal({ processName, signal, user })`, which
 *   turns on `shareProcessNamespace` so the sidecar can see the app;
 * - neither: no reloader; use `MountedConfig` with `restartOnChange`, or
 *   `EnvConfig`.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/
 */
export class ConfigReloader implements IPodPattern {
  /** The default reloader image: busybox, for `sh`, `kill`, `sleep`, `md5sum` and `wget`. */
  public static readonly DEFAULT_IMAGE = DefaultImages.BUSYBOX;

  /** The pattern name, also the sidecar's name. */
  public readonly name: string;

  private readonly config: IMountedConfig;
  private readonly action: ReloadAction;
  private readonly image: string;
  private readonly user?: number;
  private readonly resources?: kplus.ContainerResources;
  private readonly intervalSeconds: number;

  constructor(props: ConfigReloaderProps) {
    const name = props?.name ?? 'config-reloader';
    const scope = ValidationError.patternSubject('ConfigReloader', name);
    assertDnsLabel(scope, 'name', name);
    if (!props || !props.config || !props.action) {
      throw new ValidationError(scope,
        `config and action are required (got config ${got(props?.config === undefined ? undefined : 'set')}, action `
        + `${got(props?.action === undefined ? undefined : 'set')}). Fix: pass the MountedConfig to watch and a ReloadAction.`);
    }
    if (props.image !== undefined) assertPinnedImage(scope, 'image', props.image);
    assertNonRootUser(scope, 'user', props.user, `use a non-root id such as ${SecureDefaults.NON_ROOT_USER}.`);
    if (props.user !== undefined && props.action.reloadSignal !== undefined) {
      throw new ValidationError(scope,
        `user (got ${got(props.user)}) applies to an HTTP action; a signal action runs as the app's user, the only one whose `
        + 'processes it may signal. Fix: drop user, or pass it to ReloadAction.signal({ processName, user }) when the main '
        + 'container sets none.');
    }
    const seconds = props.interval ? props.interval.toMilliseconds() / 1000 : 10;
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new ValidationError(scope,
        `interval must be a whole number of seconds >= 1 (got ${got(seconds)} seconds). Fix: e.g. interval: Duration.seconds(10).`);
    }
    this.name = name;
    this.config = props.config;
    this.action = props.action;
    this.image = props.image ?? ConfigReloader.DEFAULT_IMAGE;
    this.user = props.user;
    this.resources = props.resources;
    this.intervalSeconds = seconds;
  }

  /** @internal how the app is told to reload. */
  public get _action(): ReloadAction {
    return this.action;
  }

  /**
   * Adds the sidecar; it mounts the config's volume read-only at the same
   * path as the app. A signal action also shares the Pod's process namespace.
   */
  public attach(host: PodPatternHost): void {
    const { config, action } = this;

    // every value is taken literally by the kubelet, which would otherwise expand $(VAR) in it
    const env: Record<string, kplus.EnvValue> = {
      WATCH_DIR: kplus.EnvValue.fromValue(kubeletLiteral(config.mountPath)),
      INTERVAL: kplus.EnvValue.fromValue(String(this.intervalSeconds)),
    };
    let reload: string;
    let user = this.user;
    if (action.reloadSignal !== undefined) {
      user = this.signalUser(host, action.user);
      env.RELOAD_SIGNAL = kplus.EnvValue.fromValue(action.reloadSignal);
      env.RELOAD_PROCESS = kplus.EnvValue.fromValue(kubeletLiteral(action.processName!));
      reload = SIGNAL_RELOAD;
      host.enableProcessNamespaceSharing();
    } else {
      env.RELOAD_URL = kplus.EnvValue.fromValue(kubeletLiteral(action.url!));
      reload = action.method === ReloadMethod.POST ? HTTP_POST_RELOAD : HTTP_GET_RELOAD;
    }

    host.configMapVolume(config.configMap, config.volumeName, config.volumeOptions);
    host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['sh', '-c', watchScript(reload)],
      envVariables: env,
      resources: this.resources ?? {
        cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
      },
      securityContext: SecureDefaults.containerSecurityContext(user),
      namedMounts: [{ volume: config.volumeName, path: config.mountPath, readOnly: true }],
    });
  }

  /**
   * The user a signalling reloader runs as: the app's, since a process
   * without capabilities may only signal processes of its own user.
   */
  private signalUser(host: PodPatternHost, given: number | undefined): number {
    const scope = ValidationError.patternSubject('ConfigReloader', this.name);
    const main = host.mainUser;
    if (main === 0) {
      throw new ValidationError(scope,
        `a signal action needs the reloader to run as the app's user, but the main container "${host.mainContainerName}" runs as `
        + 'root (got user 0) and the reloader never does, so the kernel would refuse every signal. Fix: run the app as a '
        + 'non-root user, or reload it with ReloadAction.httpPost.');
    }
    if (main === undefined && given === undefined) {
      throw new ValidationError(scope,
        `a signal action needs the reloader to run as the app's user, but the main container "${host.mainContainerName}" sets no `
        + 'user (got securityContext.user undefined, in the container and the Pod), so the image decides it and synth cannot '
        + 'see it. Fix: set the main container\'s securityContext.user, or pass user to ReloadAction.signal with the numeric '
        + 'user the image runs as.');
    }
    if (main !== undefined && given !== undefined && given !== main) {
      throw new ValidationError(scope,
        `the signal action's user (got ${given}) differs from the user of the main container "${host.mainContainerName}" (${main}): `
        + 'the kernel lets a process signal only processes of its own user, so every reload would fail. '
        + `Fix: pass user: ${main}, or leave user unset to take the main container's.`);
    }
    return given ?? main!;
  }
}

/**
 * Makes a string literal for the kubelet, which expands `$(VAR)` in command,
 * args and env values: every `$` becomes `$$`, which the kubelet turns back
 * into one `$`.
 */
function kubeletLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Calls RELOAD_URL with a POST (busybox `wget` exits non-zero on an HTTP error). */
const HTTP_POST_RELOAD = 'reload() { wget -q -O /dev/null --post-data "" "$RELOAD_URL"; }';

/** Calls RELOAD_URL with a GET. */
const HTTP_GET_RELOAD = 'reload() { wget -q -O /dev/null "$RELOAD_URL"; }';

/**
 * Sends RELOAD_SIGNAL to the oldest process whose name (`/proc/<pid>/comm`)
 * equals RELOAD_PROCESS: compared as a string, so it is never a pattern nor an
 * option. Fails when no such process lives or the kernel refuses the signal
 * (`kill` exits non-zero, e.g. EPERM for another user's process), where
 * `pkill` would exit 0.
 */
const SIGNAL_RELOAD = [
  'reload() {',
  '  pid= oldest=',
  '  for d in /proc/[0-9]*; do',
  '    { read -r name < "$d/comm"; } 2>/dev/null || continue',
  '    [ "$name" = "$RELOAD_PROCESS" ] || continue',
  '    { read -r stat < "$d/stat"; } 2>/dev/null || continue',
  '    # the name has no spaces, so field 3 is the state and field 22 the start time',
  '    set -- $stat',
  '    [ $# -ge 22 ] && [ "$3" != Z ] || continue',
  '    if [ -z "$pid" ] || [ "${22}" -lt "$oldest" ]; then pid=${d#/proc/} oldest=${22}; fi',
  '  done',
  '  if [ -z "$pid" ]; then',
  '    echo "no process named $RELOAD_PROCESS" >&2',
  '    return 1',
  '  fi',
  '  kill -s "$RELOAD_SIGNAL" "$pid" && echo "sent SIG$RELOAD_SIGNAL to $RELOAD_PROCESS (pid $pid)"',
  '}',
].join('\n');

/**
 * The sidecar's script: every INTERVAL seconds, compare a checksum of the
 * names and contents of the files with the last one; reload on a change,
 * retry at the next interval on failure.
 *
 * In a ConfigMap volume every key is a link into `..data`, itself a link to
 * the current generation, which the kubelet swaps atomically; the checksum
 * reads one generation through `..data` (keys may start with one ".").
 */
function watchScript(reload: string): string {
  return [
    'set -u',
    'fingerprint() {',
    '  (cd "$WATCH_DIR/..data" 2>/dev/null || cd "$WATCH_DIR" && md5sum -- * .[!.]* 2>/dev/null) | md5sum',
    '}',
    reload,
    'last=$(fingerprint)',
    'echo "watching $WATCH_DIR every ${INTERVAL}s"',
    'while true; do',
    '  sleep "$INTERVAL"',
    '  now=$(fingerprint)',
    '  [ "$now" = "$last" ] && continue',
    '  if reload; then',
    '    echo "configuration changed: reloaded"',
    '    last=$now',
    '  else',
    '    echo "configuration changed: reload failed, retrying in ${INTERVAL}s" >&2',
    '  fi',
    'done',
    '',
  ].join('\n');
}

function checkHttp(scope: ErrorScope, port: number, path: string): void {
  assertPort(scope, 'port', port);
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/.test(path)) {
    throw new ValidationError(scope,
      `path must be a URL path starting with "/", without spaces (got ${got(path)}). Fix: e.g. "/-/reload".`);
  }
}

function checkSignal(scope: ErrorScope, options: SignalReloadOptions): void {
  const p = options?.processName;
  if (typeof p !== 'string' || !/^[A-Za-z0-9._+-]{1,15}$/.test(p)) {
    throw new ValidationError(scope,
      'processName must be a process name of 1 to 15 letters, digits, \'.\', \'_\', \'+\' or \'-\', as in /proc/<pid>/comm '
      + `(got ${got(p)}). Fix: use the name of the app's executable, e.g. "nginx".`);
  }
  if (RELOADER_PROCESSES.has(p)) {
    throw new ValidationError(scope,
      `processName ${got(p)} is also a process of the reloader, which would signal itself instead of the app. `
      + 'Fix: use the name of the app\'s executable.');
  }
  if (options.user !== undefined && (!Number.isInteger(options.user) || options.user < 1)) {
    throw new ValidationError(scope,
      `user must be a numeric non-root user id >= 1 (got ${got(options.user)}). Fix: use the user the app runs as.`);
  }
}

