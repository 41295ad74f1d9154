import { ApiObject, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { assertOwnCdk8sPlus } from './cdk8s-plus-origin';
import { describePod } from './describe-pod';
import { defaultReadiness, resolveMainSettings, writableVolumeName } from './main-container';
import { IPodGroup, PodLabel } from './network-policy';
import { ConnectionView, PodView } from './pod-view';
import { WritablePath } from './writable-path';
import { IEndpoint } from '../dependencies/endpoint';
import { WaitFor } from '../patterns/wait-for';
import { AppLabels } from '../pod/app-labels';
import { PodComposition, PodWorkload } from '../pod/composition';
import { containerProps } from '../pod/container-props';
import { defaultPullPolicy } from '../pod/image-reference';
import { addMissingLabels, AppLabelValues, DEFAULT_COMPONENT, labelObjects, resolveAppLabels } from '../pod/object-labels';
import { OncePerSynthValidation } from '../pod/once-per-synth';
import { IPodPattern, PodPort, WorkloadKind } from '../pod/pattern';
import { PodResourceTotals, ResourceBudget } from '../pod/pod-resources';
import { PodSecurityException } from '../pod/pod-security-exception';
import { ResourcePreset } from '../pod/resource-preset';
import { RootOptIn } from '../pod/root-opt-in';
import { plaintextSecretReason } from '../pod/secret-values';
import { securityOverrides } from '../pod/security-overrides';
import { KubernetesVersion, SidecarMode } from '../pod/sidecar-mode';
import { got, ValidationError } from '../pod/validation-error';
import { assertContainerProps, assertDnsLabel, assertObjectNames, byCodePoint } from '../pod/validators';

/**
 * Options of `connect`.
 */
export interface ConnectOptions {
  /**
   * Prefix of the env vars injected into the main container:
   * `<PREFIX>_HOST`, `<PREFIX>_PORT` and `<PREFIX>_URL`.
   */
  readonly envPrefix: string;

  /**
   * Add an init step that blocks the app until the endpoint accepts TCP
   * connections (a `WaitFor` pattern named `wait-<prefix>`).
   * @default false
   */
  readonly waitFor?: boolean;
}

/**
 * Context key that sets the default target Kubernetes version of every workload
 * in an app: `app.node.setContext(KUBERNETES_VERSION_CONTEXT, '1.29')` right
 * after `new App()`. `cdk8s synth` passes no context from `cdk8s.yaml`.
 */
export const KUBERNETES_VERSION_CONTEXT = 'cdk8s-container-patterns/kubernetesVersion';

/** @internal the path from a Deployment, StatefulSet, DaemonSet or Job object to its Pod template (one array for all). */
export const POD_TEMPLATE_PATH: readonly string[] = Object.freeze(['spec', 'template']);

/**
 * Props shared by every workload of this library.
 */
export interface PatternWorkloadProps {
  /**
   * The name of the workload object (Deployment, StatefulSet, DaemonSet, Job
   * or CronJob), a DNS-1123 subdomain. Use it to keep the names an existing
   * app already has; Services default to it too (see each workload).
   * @default - derived from the construct path, like every cdk8s object
   */
  readonly name?: string;

  /**
   * The main (app) container. Its image must be pinned to a version, and it
   * needs a numeric non-root user (`securityContext.user`, here or in
   * `podSecurityContext`) unless `runAsRoot` opts it into root.
   *
   * The library completes its security context for PSS "restricted" (see
   * `SecureDefaults`); its resources are whatever you give, else
   * `resourcePreset`. A long-running workload (not a BatchTask or
   * ScheduledTask) whose main container declares ports and no `readiness`
   * gets a TCP readiness probe on its first port, so a Service sends traffic
   * only once the port accepts connections.
   */
  readonly container: kplus.ContainerProps;

  /**
   * Run the main container as root (user 0). Without this, the main
   * container needs a numeric non-root user, or synth fails. The Pod then
   * meets the "baseline" Pod Security Standard only (see `RootOptIn`).
   * @default - not root: a numeric non-root user is required
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   */
  readonly runAsRoot?: RootOptIn;

  /**
   * Resources of the main container when `container.resources` is not given.
   * Setting both is an error.
   * @default - ResourcePreset.SMALL (250m CPU / 256Mi requested, 1000m / 512Mi limit); ResourcePreset.NANO for a NodeAgent
   */
  readonly resourcePreset?: ResourcePreset;

  /**
   * Directories the main container writes to under its read-only root
   * filesystem, each an `emptyDir` named `writable-<path segments>` (e.g.
   * `writable-var-cache-nginx`) mounted at its path.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  readonly writablePaths?: WritablePath[];

  /**
   * Container design patterns to attach, in order. Init steps run in this
   * order. More can be added with `addPattern`.
   * @default - none
   */
  readonly patterns?: IPodPattern[];

  /**
   * How sidecars are rendered. An explicit value always wins; NATIVE needs
   * `kubernetesVersion` 1.29 or later.
   * @default - follows `kubernetesVersion`: SidecarMode.NATIVE from 1.33 (native sidecars are GA), SidecarMode.CLASSIC below
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly sidecarMode?: SidecarMode;

  /**
   * The Kubernetes version the manifests target, 1.27 to 1.34. It decides
   * which version-gated fields may be rendered and the default `sidecarMode`.
   * @default - the context value `cdk8s-container-patterns/kubernetesVersion` (e.g. "1.29", set in code with `app.node.setContext`), else KubernetesVersion.V1_27
   */
  readonly kubernetesVersion?: KubernetesVersion;

  /**
   * Fail the synth when the Pod's effective resource requests exceed this
   * budget (e.g. the allocatable capacity of your smallest node).
   * @default - not checked
   */
  readonly maxPodResources?: ResourceBudget;

  /**
   * Pod-level security settings (user, group, fsGroup, sysctls). The library
   * always adds `runAsNonRoot: true` and a RuntimeDefault seccomp profile, and
   * the sysctl `net.ipv4.ip_unprivileged_port_start` (set to the lowest port)
   * when a non-root main container declares a port below 1024.
   * @default - runAsNonRoot: true, no user, group or sysctls
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
   */
  readonly podSecurityContext?: kplus.PodSecurityContextProps;

  /**
   * The service account the Pods run as.
   * @default - the namespace's default service account, with its token not mounted
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Mount the service account token into the Pods. Only turn this on for
   * apps that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * Security settings that break the Pod Security Standards and that this
   * workload may render anyway. Without one, a rendered Pod that sets it
   * (`privileged`, `allowPrivilegeEscalation`, `runAsUser: 0`, added
   * capabilities, `hostNetwork`, `hostPID`, `hostIPC`, and for a NodeAgent a
   * sensitive host path) fails the synth. Each exception makes the Pod fail
   * the profile its doc names, so its namespace must allow that profile.
   * @default - none: every such setting fails the synth
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   */
  readonly securityExceptions?: PodSecurityException[];

  /**
   * The Kubernetes recommended labels (`app.kubernetes.io/name`, `instance`,
   * `version`, `component`, `part-of`, `managed-by`) of every object this
   * workload and its patterns create, and of its Pods. Selectors do not use
   * them, so they can change without breaking a rollout.
   * @default - every label from its default (see `AppLabels`)
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly appLabels?: AppLabels;
}

/**
 * The base of every workload: one cdk8s-plus workload, a main container, and
 * an ordered list of container design patterns.
 */
export abstract class PatternWorkload extends Construct implements IPodGroup {
  private static versionFromContext(scope: Construct): KubernetesVersion {
    const v = scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
    if (v === undefined) return KubernetesVersion.V1_27;
    if (typeof v !== 'string' || !/^1\.(0|[1-9]\d*)$/.test(v)) {
      throw new ValidationError(scope, `the context value ${KUBERNETES_VERSION_CONTEXT} must be a version like "1.29" (got ${got(v)}). `
        + `Fix: set the context key ${KUBERNETES_VERSION_CONTEXT} to the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29"), `
        + 'with app.node.setContext on the App before adding charts.');
    }
    if (!KubernetesVersion._isKnown(Number(v.slice(2)))) {
      throw new ValidationError(scope, `the context value ${KUBERNETES_VERSION_CONTEXT}: ${KubernetesVersion._outOfRange(v)}`);
    }
    return KubernetesVersion.of(v);
  }

  /** How sidecars are rendered. */
  public readonly sidecarMode: SidecarMode;

  /** The Pod Security exceptions this workload accepts (see `PatternWorkloadProps.securityExceptions`). */
  public readonly securityExceptions: PodSecurityException[];

  /** The Kubernetes version the manifests target. */
  public readonly kubernetesVersion: KubernetesVersion;

  private _main?: kplus.Container;
  /** Whether the main container opted into root with `runAsRoot`. */
  private runsAsRoot = false;
  private _comp?: PodComposition;
  /** envPrefix -> each connection, in the order made; created on the first `connect`. */
  private _connections?: Map<string, ConnectionView>;
  /** The recommended labels of every object of this workload (see `appLabels`). */
  private _labels?: AppLabelValues;

  protected constructor(scope: Construct, id: string, props: PatternWorkloadProps) {
    super(scope, id);
    if (!props || !props.container) {
      throw new ValidationError(this, 'container is required: the workload needs a main container (got none). Fix: pass container: { image: "registry.example.com/app:1.2.3", securityContext: { user: 10001 } }.');
    }
    assertOwnCdk8sPlus(this, props);
    this.kubernetesVersion = props.kubernetesVersion ?? PatternWorkload.versionFromContext(this);
    this.sidecarMode = props.sidecarMode ?? this.kubernetesVersion.defaultSidecarMode;
    this.securityExceptions = [...(props.securityExceptions ?? [])];
  }

  /** The main (app) container. */
  public get mainContainer(): kplus.Container {
    return this._composition.mainContainer;
  }

  /** @internal */
  protected get _composition(): PodComposition {
    if (!this._comp) {
      throw new ValidationError(this, 'the workload was used before its constructor set it up. '
        + 'Fix: a subclass of PatternWorkload must call _setup() in its constructor before it uses the workload.');
    }
    return this._comp;
  }

  /**
   * @internal
   * Called by subclasses once they created the cdk8s-plus workload: adds the
   * main container and sets up the composition core.
   */
  protected _setup(props: PatternWorkloadProps, kind: WorkloadKind, workload: PodWorkload, templatePath: readonly string[],
    defaultPreset: ResourcePreset = ResourcePreset.SMALL): void {

    const name = props.container.name ?? 'app';
    assertDnsLabel(this, 'container.name', name);
    assertContainerProps(this, 'container', props.container);
    const main = resolveMainSettings(this, name, props, defaultPreset);
    this.runsAsRoot = main.root;
    this._main = workload.addContainer(containerProps(props.container, {
      name,
      imagePullPolicy: props.container.imagePullPolicy ?? defaultPullPolicy(props.container.image),
      securityContext: main.securityContext,
      resources: main.resources,
      readiness: props.container.readiness ?? defaultReadiness(kind, props.container),
    }));

    this._comp = new PodComposition({
      owner: this,
      workload,
      kind,
      mainContainer: this._main,
      sidecarMode: this.sidecarMode,
      kubernetesVersion: this.kubernetesVersion,
      budget: props.maxPodResources,
      templatePath,
    });
    for (const w of [...(props.writablePaths ?? [])]) {
      const volume = this._comp.sharedVolume(this, writableVolumeName(this, w.path), { sizeLimit: w.sizeLimit, medium: w.medium });
      this._main.mount(w.path, volume);
    }
    this._labels = resolveAppLabels(this, props.appLabels, {
      objectName: props.name,
      image: props.container.image,
      component: DEFAULT_COMPONENT[kind],
      instance: Names.toLabelValue(workload),
    });
    addMissingLabels(workload.podMetadata, this._labels);
    this.node.addValidation(new OncePerSynthValidation(this, () => this.podProblems(workload)));
  }

  /** What is wrong with the Pod: the pod rules, security settings, plaintext secrets, then the kind's own checks. */
  private podProblems(workload: PodWorkload): string[] {
    return [...this._composition.podRuleProblems(), ...this.securityOverrideProblems(workload), ...this.plaintextSecretProblems(),
      ...this._kindProblems()];
  }

  /** @internal the checks only one kind of workload makes (a StatelessService's storage, a NodeAgent's host paths). */
  protected _kindProblems(): string[] {
    return [];
  }

  /** Literal env values of the main container that are secrets in plaintext. */
  private plaintextSecretProblems(): string[] {
    const main = this._composition.mainContainer;
    const out: string[] = [];
    for (const [name, v] of Object.entries(main.env.variables)) {
      const reason = v.value === undefined ? undefined : plaintextSecretReason(name, v.value);
      if (!reason) continue;
      out.push(`main container "${main.name}" sets env var ${name} to a literal value: ${reason}, and the value ends up in the `
        + 'manifest, in Git and in every reader of the object. Fix: keep it in a Secret and read it with SecretKeyRef (e.g. '
        + `SecretKeyRef.of(this, "app-secrets", "${name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}").envValue()).`);
    }
    return out;
  }

  /**
   * Security settings of the Pod that no `securityExceptions` entry accepts,
   * or why a workload object with escape-hatch patches cannot be rendered.
   */
  private securityOverrideProblems(workload: PodWorkload): string[] {
    let spec: any;
    try {
      spec = this._composition.podSpecForChecks();
    } catch (e) {
      // reported here, at validation, so that a synth writes no file at all rather than the charts before this one
      const kind = ApiObject.of(workload).kind;
      const cause = (e instanceof Error ? e.message : String(e))
        .replace(/^Failed serializing construct at path '[^']*' with name '[^']*': (Error: )?/, '').replace(/\.$/, '');
      return [`the ${kind} cannot be rendered: ${cause}. Fix: correct the prop or the `
        + `escape-hatch JSON patch of the ${kind} that the message names.`];
    }
    const mainName = this._composition.mainContainer.name;
    return securityOverrides(spec)
      .filter(o => o.exception === undefined
        ? !(this.runsAsRoot && o.container === mainName)
        : !this.securityExceptions.includes(o.exception))
      .map(o => o.exception === undefined
        ? `${o.container ? `${o.containerKind} "${o.container}"` : 'the Pod'} sets ${o.setting}, ${o.consequence}; the Pod then `
          + `fails the Pod Security Standards "${o.profile}" profile. Fix: remove the setting and give a numeric non-root user; only `
          + 'the main container may run as root, with runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY.'
        : `${o.container ? `${o.containerKind} "${o.container}"` : 'the Pod'} sets ${o.setting}, ${o.consequence}; the Pod `
        + `then fails the Pod Security Standards "${o.profile}" profile. Fix: remove the setting, or accept it with `
        + `securityExceptions: [PodSecurityException.${exceptionKey(o.exception)}] and run the workload in a namespace that allows it.`);
  }

  /** @internal Attaches the patterns from props; called at the end of the subclass constructor. */
  protected _attachInitialPatterns(patterns?: IPodPattern[]): void {
    // the workload's own objects exist now, and their names are final
    assertObjectNames(this);
    for (const p of patterns ?? []) this._composition.attach(p);
    this.labelOwnObjects();
  }

  /** Puts the recommended labels on every object of this workload and its patterns made so far. */
  private labelOwnObjects(): void {
    if (this._labels) labelObjects(this, this._labels);
  }

  /**
   * Attach a container design pattern. Patterns attach in the order added;
   * their init steps run in that order.
   */
  public addPattern(pattern: IPodPattern): void {
    this._composition.attach(pattern);
    this.labelOwnObjects();
  }

  /**
   * Connect the main container to an endpoint by reference: injects
   * `<PREFIX>_HOST`, `<PREFIX>_PORT` and `<PREFIX>_URL`. The endpoint may be an
   * in-app service, an `ExternalService` or a plain `Endpoint`; the workload
   * is written the same way in every case.
   */
  public connect(endpoint: IEndpoint, options: ConnectOptions): void {
    const prefix = options?.envPrefix;
    if (typeof prefix !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(prefix)) {
      throw new ValidationError(this,
        `connect: envPrefix must be an upper-case env var name like "DB" (got ${got(prefix)}). `
        + 'Fix: use letters, digits and "_", not starting with a digit.');
    }
    const connections = this._connections ??= new Map<string, ConnectionView>();
    if (connections.has(prefix)) {
      throw new ValidationError(this,
        `connect: envPrefix "${prefix}" is already used by a connection to ${connections.get(prefix)!.endpoint.url}; `
        + `connecting ${endpoint.url} under the same prefix would overwrite ${prefix}_HOST. Fix: use a distinct envPrefix per endpoint.`);
    }
    const waitStep = options.waitFor ? `wait-${prefix.toLowerCase().replace(/_/g, '-')}` : undefined;
    connections.set(prefix, { envPrefix: prefix, endpoint, waitStep });
    const add = (name: string, value: string) => this._composition.addMainEnv(this, name, kplus.EnvValue.fromValue(value));
    add(`${prefix}_HOST`, endpoint.host);
    add(`${prefix}_PORT`, String(endpoint.port));
    add(`${prefix}_URL`, endpoint.url);
    if (waitStep) this._connectWaitFor(waitStep, endpoint);
  }

  /** @internal adds the init gate of `connect({ waitFor: true })`. */
  protected _connectWaitFor(name: string, endpoint: IEndpoint): void {
    this.addPattern(new WaitFor({ name, endpoints: [endpoint] }));
  }

  /** The labels that select this workload's Pods (as its Services and NetworkPolicies select them). */
  public podSelectorLabels(): PodLabel[] {
    const labels = (this._composition.workload as kplus.Workload).matchLabels;
    return Object.keys(labels).sort(byCodePoint).map(key => ({ key, value: labels[key] }));
  }

  /**
   * @internal
   * A read-only view of this workload's Pod, built from the model, for the
   * Pod diagrams.
   */
  public _podView(): PodView {
    return describePod({
      owner: this,
      composition: this._composition,
      connections: [...(this._connections?.values() ?? [])],
      claimSizes: this._claimSizes(),
    });
  }

  /** @internal the requested size of each per-replica claim, by name (none but in a StatefulService). */
  protected _claimSizes(): Map<string, string> {
    return new Map();
  }

  /** The attached patterns, in order. */
  public get patterns(): IPodPattern[] {
    return this._composition.attachedPatterns;
  }

  /**
   * The resources the scheduler reserves for one Pod of this workload, with
   * the kubelet's arithmetic for init containers and native sidecars.
   */
  public get podResources(): PodResourceTotals {
    return this._composition.resourceTotals;
  }

  /** Every port of the Pod: the main container's and those declared by patterns. */
  public get podPorts(): PodPort[] {
    return this._composition.podPorts;
  }

}

/** The enum member name of an exception, as a user writes it. */
function exceptionKey(e: PodSecurityException): string {
  return Object.entries(PodSecurityException).find(([, v]) => v === e)![0];
}
