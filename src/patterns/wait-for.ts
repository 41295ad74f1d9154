import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { checkUser, copyResources, wholeSeconds } from './pattern-checks';
import { IEndpoint } from '../dependencies/endpoint';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertDnsLabel, assertPinnedImage, isHostName, isIpAddress, isPort } from '../pod/validators';

/**
 * What a {@link WaitFor} checks.
 */
export enum WaitForCheck {
  /** The endpoint accepts TCP connections on its port (`nc -z`). */
  TCP = 'tcp',
  /**
   * The endpoint's host name resolves in DNS (`nslookup`); the port is not
   * checked. Names are resolved the way the app's resolver would: a name
   * that does not resolve as given is tried with each domain of the Pod's DNS
   * search list (`/etc/resolv.conf`), so a partly qualified name such as
   * `mydb.other-ns` resolves as `mydb.other-ns.svc.cluster.local` (busybox
   * `nslookup` alone applies the search list to single-label names only).
   * A name ending in "." is absolute and taken as given.
   */
  DNS = 'dns',
}

/**
 * Props of a {@link WaitFor}.
 */
export interface WaitForProps {
  /**
   * Name of the pattern and of its init container.
   * @default 'wait-for'
   */
  readonly name?: string;

  /** The endpoints to wait for, checked one after the other. At least one. */
  readonly endpoints: IEndpoint[];

  /**
   * What counts as "available".
   * @default WaitForCheck.TCP
   */
  readonly check?: WaitForCheck;

  /**
   * How long to wait, in total, before giving up. The init container then
   * exits non-zero; the kubelet restarts it with back-off (for Pods with
   * restartPolicy Always), so the Pod shows the failure instead of starting
   * an app that cannot reach its dependencies.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Pause between two attempts; at most `timeout`.
   * @default Duration.seconds(2)
   */
  readonly interval?: Duration;

  /**
   * Image with a POSIX shell, `nc` (supporting `-z` and `-w`), `nslookup`
   * and `date`, pinned to a version.
   * @default WaitFor.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Resources of the init container.
   * @default SecureDefaults.initStepResources() - requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Numeric user (and group) the step runs as, with a read-only root
   * filesystem and no capabilities; it writes nothing.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;
}

/**
 * An init step that blocks the app until its dependencies answer: every
 * endpoint accepts TCP connections (or resolves in DNS), or the timeout is
 * reached and the step fails.
 *
 * `PatternWorkload.connect(endpoint, { waitFor: true })` adds one for a
 * single endpoint.
 */
export class WaitFor implements IPodPattern {
  /** The default image: busybox, pinned. */
  public static readonly DEFAULT_IMAGE = DefaultImages.BUSYBOX;

  public readonly name: string;

  /** The image that runs the checks. */
  public readonly image: string;

  /** The total timeout, in seconds. */
  public readonly timeoutSeconds: number;

  private readonly check: WaitForCheck;
  private readonly resources?: kplus.ContainerResources;
  private readonly user?: number;
  private readonly endpoints: IEndpoint[];
  private readonly intervalSeconds: number;

  constructor(props: WaitForProps) {
    const name = props?.name ?? 'wait-for';
    const scope = ValidationError.patternSubject('WaitFor', name);
    assertDnsLabel(scope, 'name', name);
    if (!props || !Array.isArray(props.endpoints) || props.endpoints.length === 0) {
      throw new ValidationError(scope,
        `endpoints must list at least one endpoint to wait for (got ${got(props?.endpoints)}). `
        + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.');
    }
    props.endpoints.forEach((e, i) => {
      if (!e || typeof e.host !== 'string' || e.host.length === 0 || !isPort(e.port)) {
        throw new ValidationError(scope,
          `endpoints[${i}] must be an IEndpoint with a host and a port between 1 and 65535 (got ${got(e)}). Fix: use Endpoint.of(host, port).`);
      }
      // the host reaches `nc` and `nslookup` as an argument: a name starting with "-" would be an option
      const bare = e.host.replace(/^\[(.*)\]$/, '$1');
      if (!isHostName(e.host) && !isIpAddress(bare)) {
        throw new ValidationError(scope,
          `endpoints[${i}] host must be a DNS name or an IP address (got ${got(e.host)}). `
          + 'Fix: use a name like "db.prod.svc.cluster.local" or an address like "10.0.0.7".');
      }
    });
    const image = props.image ?? WaitFor.DEFAULT_IMAGE;
    assertPinnedImage(scope, 'image', image);
    this.timeoutSeconds = wholeSeconds(scope, 'timeout', props.timeout ?? Duration.minutes(5));
    this.intervalSeconds = wholeSeconds(scope, 'interval', props.interval ?? Duration.seconds(2));
    if (this.intervalSeconds > this.timeoutSeconds) {
      throw new ValidationError(scope,
        `interval (got ${this.intervalSeconds} seconds) is longer than timeout (got ${this.timeoutSeconds} seconds), so the step `
        + 'would sleep past its deadline after the first failed attempt. Fix: use an interval no longer than the timeout, '
        + 'e.g. interval: Duration.seconds(2).');
    }
    const check = props.check ?? WaitForCheck.TCP;
    if (!Object.values(WaitForCheck).includes(check)) {
      throw new ValidationError(scope, `check must be a WaitForCheck (got ${got(check)}). Fix: use WaitForCheck.TCP or WaitForCheck.DNS.`);
    }
    checkUser(scope, props.user);
    this.name = name;
    this.image = image;
    this.check = check;
    this.resources = copyResources(props.resources);
    this.user = props.user;
    this.endpoints = [...props.endpoints];
  }

  /** @internal the endpoints waited for, in order. */
  public get _endpoints(): IEndpoint[] {
    return [...this.endpoints];
  }

  public attach(host: PodPatternHost): void {
    const check = this.check;
    host.addInitContainer({
      name: this.name,
      image: this.image,
      command: ['sh', '-c', WAIT_SCRIPT, this.name],
      args: this.endpoints.map(e => `${e.host}:${e.port}`),
      envVariables: {
        WAIT_CHECK: kplus.EnvValue.fromValue(check),
        WAIT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(this.timeoutSeconds)),
        WAIT_INTERVAL_SECONDS: kplus.EnvValue.fromValue(String(this.intervalSeconds)),
      },
      resources: this.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.user),
    });
  }
}

/**
 * Waits for every `host:port` argument in turn; exits 1 once
 * WAIT_TIMEOUT_SECONDS have passed since the start.
 *
 * A DNS check tries the name as given, then (unless it ends in ".") with
 * each domain of the resolver's search list, as libc resolvers do for names
 * with fewer dots than `ndots` (5 in a Pod): busybox `nslookup` applies the
 * list to single-label names only.
 */
const WAIT_SCRIPT = [
  'deadline=$(( $(date +%s) + WAIT_TIMEOUT_SECONDS ))',
  'search=',
  'if [ "$WAIT_CHECK" = dns ] && [ -r /etc/resolv.conf ]; then',
  '  while read -r key rest; do',
  '    case "$key" in search|domain) search="$rest" ;; esac',
  '  done < /etc/resolv.conf',
  'fi',
  'lookup() { nslookup "$1" >/dev/null 2>&1; }',
  'resolves() {',
  '  lookup "$1" && return 0',
  '  case "$1" in *.) return 1 ;; esac',
  '  for domain in $search; do lookup "$1.$domain" && return 0; done',
  '  return 1',
  '}',
  'for target in "$@"; do',
  '  host="${target%:*}"; port="${target##*:}"',
  '  host="${host#\\[}"; host="${host%\\]}"',
  '  while :; do',
  '    if [ "$WAIT_CHECK" = dns ]; then resolves "$host" && break',
  '    else nc -z -w 2 "$host" "$port" && break; fi',
  '    if [ "$(date +%s)" -ge "$deadline" ]; then',
  '      echo "$0: $target is not available after ${WAIT_TIMEOUT_SECONDS}s (check: $WAIT_CHECK), giving up" >&2',
  '      exit 1',
  '    fi',
  '    echo "$0: waiting for $target ($WAIT_CHECK)"',
  '    sleep "$WAIT_INTERVAL_SECONDS"',
  '  done',
  '  echo "$0: $target is available"',
  'done',
].join('\n');

