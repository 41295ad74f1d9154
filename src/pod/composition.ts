import { ApiObject, ApiObjectMetadataDefinition, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CompositionHost } from './composition-host';
import { containerProps } from './container-props';
import { defaultPullPolicy } from './image-reference';
import { ConfigFile, ConfigVolumeOptions, IPodPattern, NamedMount, PatternContainerOptions, PatternPort, PodPort, SharedVolumeOptions, WorkloadKind } from './pattern';
import { PodResourceTotals, ResourceBudget } from './pod-resources';
import { checkPodRules, describeContainers, podResourceTotals, RuleContainer } from './pod-rules';
import { PodVolumes } from './pod-volumes';
import { getIn } from './render/json-edit';
import { ClaimMount, RenderInput } from './render/render-step';
import { addOwnPatch, IRenderedWorkload, renderThroughPipeline } from './render/workload-object';
import { SecureDefaults } from './secure-defaults';
import { modelPodSpec } from './security-overrides';
import { KubernetesVersion, SidecarMode } from './sidecar-mode';
import { renderNativeSidecarProbes, SidecarProbes } from './sidecar-probes';
import { got, ValidationError } from './validation-error';
import {
  assertAbsolutePath, assertContainerProps, assertDnsLabel, assertEnvName, assertPort, assertPortName, configMapsHash,
  objectNameProblem,
} from './validators';
import { KnownVolume, renderedPodSpec, VolumeSource, volumeSources } from './volume-sources';

/** Pod template annotation that carries the hash of the Pod's rendered configuration. */
export const CONFIG_HASH_ANNOTATION = 'container-patterns.cdk8s.io/config-hash';

/** Pod template annotation naming the main container, read by `kubectl logs` and `kubectl exec`. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** Pod annotations only the library writes: a pattern asking for one would silently overwrite it, or be overwritten. */
const RESERVED_ANNOTATIONS = new Set([CONFIG_HASH_ANNOTATION, DEFAULT_CONTAINER_ANNOTATION]);

/** A pod workload of cdk8s-plus with its template metadata. */
export type PodWorkload = kplus.AbstractPod & { readonly podMetadata: ApiObjectMetadataDefinition };

export interface PodCompositionProps {
  /** The library construct that owns the workload (the scope of pattern constructs). */
  readonly owner: Construct;
  readonly workload: PodWorkload;
  readonly kind: WorkloadKind;
  readonly mainContainer: kplus.Container;
  readonly sidecarMode: SidecarMode;
  readonly kubernetesVersion: KubernetesVersion;
  readonly budget?: ResourceBudget;
  /** Path from the workload object to its Pod template. */
  readonly templatePath: readonly string[];
}

/**
 * @internal
 * The composition core: the state shared by a workload and the patterns
 * attached to it, and the pod rules. What cdk8s-plus-27 cannot express is
 * handed to the render pipeline (src/pod/render) as data.
 */
export class PodComposition implements IRenderedWorkload {
  public readonly owner: Construct;
  public readonly workload: PodWorkload;
  public readonly kind: WorkloadKind;
  public readonly mainContainer: kplus.Container;
  public readonly sidecarMode: SidecarMode;
  public readonly kubernetesVersion: KubernetesVersion;

  private readonly budget?: ResourceBudget;
  private readonly templatePath: readonly string[];
  // patterns, sidecars, configMaps, ports and portListeners hold a few entries
  // each and are replaced by a concat, which sizes the new array exactly; a push
  // (or a spread) leaves room for 16 more, in every workload until synth.
  private patterns: readonly IPodPattern[] = [];
  /** The sidecars (native or classic, as `sidecarMode` says). */
  private sidecars: readonly kplus.Container[] = [];
  /** The volumes patterns refer to by name: shared emptyDirs, ConfigMap volumes and per-replica claims. */
  private readonly volumes: PodVolumes;
  private configMaps: readonly kplus.ConfigMap[] = [];
  private ports: readonly PodPort[];
  /** Fields of the workload spec for the render pipeline (see `setSpecField`); made on first use. */
  private specFields?: Map<string, unknown>;
  private portListeners: readonly ((p: PodPort) => void)[] = [];
  /** Whether escape-hatch JSON patches were added to the workload object (its own fields excepted). */
  private userPatched = false;
  /** Paths of the fields set with the library's own JSON patches (`setL1Field`); made on first use. */
  private patchedPaths?: string[][];
  /** Probes of native sidecars, which cdk8s-plus-27 cannot render on init containers. */
  private nativeProbes?: Map<kplus.Container, SidecarProbes>;

  constructor(props: PodCompositionProps) {
    this.owner = props.owner;
    this.workload = props.workload;
    this.kind = props.kind;
    this.mainContainer = props.mainContainer;
    this.sidecarMode = props.sidecarMode;
    this.kubernetesVersion = props.kubernetesVersion;
    this.budget = props.budget;
    this.templatePath = props.templatePath;
    this.volumes = new PodVolumes(this.owner, this.workload);

    if (this.sidecarMode === SidecarMode.NATIVE && !this.kubernetesVersion.isAtLeast(KubernetesVersion.NATIVE_SIDECARS_MINIMUM)) {
      throw new ValidationError(this.owner,
        `sidecarMode NATIVE needs Kubernetes >= ${KubernetesVersion.NATIVE_SIDECARS_MINIMUM.version} `
        + `(got kubernetesVersion ${this.kubernetesVersion.version}). Native sidecars are init containers with restartPolicy: Always, `
        + 'which older API servers reject or silently drop. Fix: if your clusters run 1.29 or later, set kubernetesVersion: '
        + 'KubernetesVersion.V1_29 on the workload, or for every workload call app.node.setContext('
        + '"cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in main.ts (cdk8s.yaml does not reach the '
        + 'app); else use SidecarMode.CLASSIC.');
    }
    this.ports = this.mainContainer.ports.map(p => ({
      containerName: this.mainContainer.name,
      port: p.number,
      name: p.name,
      protocol: p.protocol ?? kplus.Protocol.TCP,
      exposed: true,
    }));

    // `kubectl logs/exec` and policy tools pick the app container, not a sidecar
    this.workload.podMetadata.addAnnotation(DEFAULT_CONTAINER_ANNOTATION, this.mainContainer.name);

    renderThroughPipeline(ApiObject.of(this.workload), this);
  }

  /** Attach a pattern in its own construct scope. */
  public attach(pattern: IPodPattern): void {
    if (!pattern || typeof pattern.attach !== 'function') {
      throw new ValidationError(this.owner, `addPattern expects an IPodPattern (got ${got(pattern)}). `
        + 'Fix: pass a pattern object, e.g. new LogCollector({ ... }), or an object with a name and an attach(host) method.');
    }
    assertDnsLabel(this.owner, 'pattern name', pattern.name);
    const clash = this.patterns.find(p => p.name === pattern.name);
    if (clash) {
      throw new ValidationError(this.owner,
        `a pattern named "${pattern.name}" is already attached to this workload. `
        + 'Fix: give the second pattern a distinct name (the name prop of the pattern).');
    }
    if (this.owner.node.tryFindChild(pattern.name)) {
      throw new ValidationError(this.owner,
        `pattern name "${pattern.name}" clashes with an existing child construct of this workload. Fix: rename the pattern.`);
    }
    this.patterns = this.patterns.concat([pattern]);
    const scope = new Construct(this.owner, pattern.name);
    try {
      pattern.attach(new CompositionHost(this, scope));
    } catch (e) {
      // every error raised while a pattern attaches names the construct path it happened at
      if (e instanceof ValidationError) {
        if (e.subject.startsWith(this.owner.node.path)) throw e;
        throw e.at(scope);
      }
      if (e instanceof Error) throw new ValidationError(scope, e.message);
      throw e;
    }
  }

  /** The patterns, in the order they were attached. */
  public get attachedPatterns(): IPodPattern[] {
    return [...this.patterns];
  }

  /** Whether `c` is one of the Pod's sidecars (native or classic). */
  public isSidecar(c: kplus.Container): boolean {
    return this.sidecars.includes(c);
  }

  /** The mounts of per-replica volume claims, in mount order. */
  public get perReplicaMounts(): ClaimMount[] {
    return this.volumes.claimMounts;
  }

  /** The Pod's ports (main container and patterns). */
  public get podPorts(): PodPort[] {
    return [...this.ports];
  }

  /**
   * Declare a port of one of the Pod's containers. The port becomes a
   * container port of that container (if it is not one already) and takes
   * part in every pod rule; with `expose` the workload's Service binds it.
   */
  public declarePort(scope: Construct, containerName: string, port: PatternPort): void {
    assertPortName(scope, 'port name', port.name);
    assertPort(scope, `port "${port.name}"`, port.port);
    const container = this.allContainers().find(c => c.name === containerName);
    if (!container) {
      throw new ValidationError(scope,
        `declarePort names container ${got(containerName)}, which the Pod does not have `
        + `(containers: ${this.allContainers().map(c => `"${c.name}"`).join(', ')}). Fix: add the container first, then declare its port.`);
    }
    const protocol = port.protocol ?? kplus.Protocol.TCP;
    const owner = this.allContainers().find(c => c.ports.some(p => p.number === port.port && (p.protocol ?? kplus.Protocol.TCP) === protocol));
    if (owner && owner !== container) {
      throw new ValidationError(scope,
        `port ${port.port} is already a port of container "${owner.name}"; the containers of a Pod share one network namespace, `
        + `so only one of them can listen on it. Fix: give container "${containerName}" another port.`);
    }
    if (!owner) container.addPort({ number: port.port, name: port.name, protocol });
    const declared: PodPort = { containerName, port: port.port, name: port.name, protocol, exposed: port.expose ?? false };
    this.ports = this.ports.concat([declared]);
    this.portListeners.forEach(l => l(declared));
  }

  /** Called for every port declared from now on (used by workloads to bind Services). */
  public onPortDeclared(listener: (p: PodPort) => void): void {
    this.portListeners = this.portListeners.concat([listener]);
  }

  /** Every container of the Pod: init containers (native sidecars among them), then app containers. */
  private allContainers(): kplus.Container[] {
    return [...this.workload.initContainers, ...this.workload.containers];
  }

  /** Validates and normalizes a container a pattern (or the workload) adds. */
  private prepareContainer(scope: Construct, role: string, options: PatternContainerOptions,
    defaultResources: () => kplus.ContainerResources): kplus.ContainerProps {
    if (!options.name) {
      throw new ValidationError(scope, `${role} needs a name (got none). Fix: pass name, e.g. "${role.replace(/ /g, '-')}".`);
    }
    assertDnsLabel(scope, `${role} name`, options.name);
    assertContainerProps(scope, `${role} "${options.name}"`, options);
    for (const m of options.namedMounts ?? []) {
      assertAbsolutePath(scope, `mount path of volume "${m.volume}" in ${role} "${options.name}"`, m.path);
    }
    return containerProps(options, {
      name: options.name,
      imagePullPolicy: options.imagePullPolicy ?? defaultPullPolicy(options.image),
      resources: options.resources ?? defaultResources(),
      securityContext: { ...SecureDefaults.containerSecurityContext(), ...options.securityContext },
      readiness: options.readiness,
    });
  }

  public addInitStep(scope: Construct, options: PatternContainerOptions): kplus.Container {
    const props = this.prepareContainer(scope, 'init container', options, SecureDefaults.initStepResources);
    const c = this.workload.addInitContainer(props);
    this.resolveNamedMounts(scope, c, options.namedMounts);
    return c;
  }

  public addSidecar(scope: Construct, options: PatternContainerOptions): kplus.Container {
    const props = this.prepareContainer(scope, 'sidecar', options, SecureDefaults.sidecarResources);
    if (this.sidecarMode === SidecarMode.CLASSIC && (this.kind === WorkloadKind.JOB || this.kind === WorkloadKind.CRON_JOB)) {
      throw new ValidationError(scope,
        `sidecar "${props.name}" cannot run in a ${this.kind} with sidecarMode CLASSIC: a classic sidecar never exits, so the `
        + 'Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
        + 'kubernetesVersion >= 1.29, or drop the sidecar.');
    }
    let c: kplus.Container;
    if (this.sidecarMode === SidecarMode.NATIVE) {
      const { readiness, liveness, startup } = props; // cdk8s-plus-27 refuses probes on init containers
      c = this.workload.addInitContainer({ ...props, readiness: undefined, liveness: undefined, startup: undefined });
      if (readiness || liveness || startup) (this.nativeProbes ??= new Map()).set(c, { readiness, liveness, startup });
    } else {
      c = this.workload.addContainer(props);
    }
    this.sidecars = this.sidecars.concat([c]);
    this.resolveNamedMounts(scope, c, options.namedMounts);
    return c;
  }

  private resolveNamedMounts(scope: Construct, c: kplus.Container, mounts?: NamedMount[]): void {
    for (const m of mounts ?? []) this.volumes.mount(scope, c, m);
  }

  /** The shared emptyDir `name`, created on first use (see `PodVolumes.sharedVolume`). */
  public sharedVolume(scope: Construct, name: string, options: SharedVolumeOptions = {}): kplus.Volume {
    return this.volumes.sharedVolume(scope, name, options);
  }

  /** The Pod volume `volumeName` backed by `configMap` (see `PodVolumes.configMapVolume`). */
  public configMapVolume(scope: Construct, configMap: kplus.IConfigMap, volumeName: string, options?: ConfigVolumeOptions): kplus.Volume {
    return this.volumes.configMapVolume(scope, configMap, volumeName, options);
  }

  /** Declare a per-replica volume claim (StatefulService). */
  public declareClaim(name: string): void {
    this.volumes.declareClaim(name);
  }

  /** Mount a named volume (shared, ConfigMap or claim) into `container`. */
  public mount(scope: Construct, container: kplus.Container, mount: NamedMount): void {
    this.volumes.mount(scope, container, mount);
  }

  public addMainEnv(scope: Construct, name: string, value: kplus.EnvValue): void {
    assertEnvName(scope, 'env var name', name);
    if (name in this.mainContainer.env.variables) {
      throw new ValidationError(scope,
        `env var ${name} is already set on container "${this.mainContainer.name}"; setting it again would silently replace it. `
        + 'Fix: use a different name or prefix.');
    }
    this.mainContainer.env.addVariable(name, value);
  }

  public addPodAnnotation(scope: Construct, key: string, value: string): void {
    if (RESERVED_ANNOTATIONS.has(key)) {
      throw new ValidationError(scope,
        `pod annotation ${key} is written by the library itself (got ${got(value)}); setting it would overwrite the library's `
        + 'value or be overwritten by it. Fix: use another annotation key (for a MountedConfig, another name).');
    }
    const current = (this.workload.podMetadata.toJson().annotations ?? {})[key];
    if (current !== undefined && current !== value) {
      throw new ValidationError(scope,
        `pod annotation ${key} is already set to ${got(current)} (got ${got(value)}). Fix: set each annotation from one place.`);
    }
    this.workload.podMetadata.addAnnotation(key, value);
  }

  public addConfigMap(scope: Construct, id: string, files: ConfigFile[]): kplus.ConfigMap {
    const cm = new kplus.ConfigMap(scope, id);
    const problem = objectNameProblem('ConfigMap', cm.name);
    if (problem) throw new ValidationError(scope, problem);
    for (const f of files) {
      if (!/^[-._a-zA-Z0-9]+$/.test(f.key)) {
        throw new ValidationError(scope, `ConfigMap key ${got(f.key)} is not valid: use letters, digits, '-', '_' or '.'. `
          + 'Fix: name the file like "app.conf".');
      }
      cm.addData(f.key, f.content);
    }
    this.configMaps = this.configMaps.concat([cm]);
    return cm;
  }

  /**
   * Set a field that the 1.27 schema knows but cdk8s-plus-27 does not expose,
   * through the L1 object (`path` is a JSON pointer below the workload object,
   * e.g. `/spec/completions`).
   */
  public setL1Field(path: string, value: unknown): void {
    addOwnPatch(ApiObject.of(this.workload), JsonPatch.add(path, value));
    (this.patchedPaths ??= []).push(path.split('/').slice(1).map(k => k.replace(/~1/g, '/').replace(/~0/g, '~')));
  }

  /**
   * The Pod spec as the security checks read it: rendered when escape-hatch
   * JSON patches were added to the workload object (only a render shows what
   * they set; this then throws what the render throws), else read from the
   * model (`modelPodSpec`), which is cheaper than a render.
   */
  public podSpecForChecks(): any {
    if (this.userPatched) return getIn(ApiObject.of(this.workload).toJson(), [...this.templatePath, 'spec']);
    return modelPodSpec(this.workload, c => this.isSidecar(c) && this.sidecarMode === SidecarMode.NATIVE);
  }

  /** Render `shareProcessNamespace: true` on the Pod. */
  public enableProcessNamespaceSharing(): void {
    this.setL1Field(`/${[...this.templatePath, 'spec', 'shareProcessNamespace'].join('/')}`, true);
  }

  /**
   * Hand a field of the workload spec to the render pipeline: for what the
   * 1.27 schema cannot hold (or cdk8s-plus-27 cannot express), such as
   * `volumeClaimTemplates`. `value` is plain, already rendered JSON.
   */
  public setSpecField(key: string, value: unknown): void {
    (this.specFields ??= new Map()).set(key, value);
  }

  /** The app added an escape-hatch JSON patch to the workload object. */
  public noteUserPatch(): void {
    this.userPatched = true;
  }

  /** The data the render pipeline completes the rendered object with, as it is now. */
  public renderInput(): RenderInput {
    const native = new Set<string>();
    if (this.sidecarMode === SidecarMode.NATIVE) for (const c of this.sidecars) native.add(c.name);
    const annotations = new Map<string, string>();
    const hash = configMapsHash(this.configMaps);
    if (hash) annotations.set(CONFIG_HASH_ANNOTATION, hash);
    return {
      templatePath: this.templatePath,
      nativeSidecars: native,
      nativeSidecarProbes: this.nativeProbes ? renderNativeSidecarProbes(this.nativeProbes) : new Map(),
      claimMounts: this.volumes.claimMounts,
      templateAnnotations: annotations,
      specFields: new Map(this.specFields ?? []),
      patchedPaths: this.patchedPaths?.map(p => [...p]) ?? [],
      userPatched: this.userPatched,
    };
  }

  /**
   * The containers as the pod rules see them, in render order. `onVolume` is
   * called with the volume of every mount.
   */
  public ruleContainers(onVolume?: (v: kplus.Volume) => void): RuleContainer[] {
    return describeContainers(this.workload, c => this.isSidecar(c), this.volumes.claimMounts, onVolume);
  }

  /** Where the main container mounts volumes, per-replica claims included, in mount order. */
  public mainMountPaths(): string[] {
    const main = this.mainContainer;
    const paths = main.mounts.map(m => m.path);
    for (const m of this.volumes.claimMounts) if (m.containerName === main.name) paths.push(m.path);
    return paths;
  }

  /** Every volume the Pod's containers mount, and the Pod's own volumes, each once. */
  public podVolumes(): kplus.Volume[] {
    const volumes = new Set<kplus.Volume>(this.workload.volumes);
    for (const c of this.allContainers()) for (const m of c.mounts) volumes.add(m.volume);
    return [...volumes];
  }

  /** The Pod spec as rendered now (see `renderedPodSpec`). */
  public renderedPodSpec(): any {
    return renderedPodSpec(this.workload, this.templatePath);
  }

  /** Every volume of the Pod with its source (see `volumeSources`). */
  public volumeSources(): KnownVolume[] {
    return volumeSources(this.workload, this.templatePath, this.podVolumes(), v => this.volumes.sourceOf(v));
  }

  /** Record the source of a volume the workload created itself (see `PodVolumes.recordSource`). */
  public recordVolumeSource(volume: kplus.Volume, source: VolumeSource): void {
    this.volumes.recordSource(volume, source);
  }

  public get resourceTotals(): PodResourceTotals {
    return podResourceTotals(this.ruleContainers());
  }

  /** The pod rules' findings, one message per problem (the owning workload reports them when it is validated). */
  public podRuleProblems(): string[] {
    // every volume object behind each name: mounted ones and the Pod's own
    const volumes = new Map<string, unknown[]>();
    const note = (v: kplus.Volume) => {
      const objects = volumes.get(v.name);
      if (!objects) volumes.set(v.name, [v]);
      else if (!objects.includes(v)) objects.push(v);
    };
    const containers = this.ruleContainers(note);
    for (const v of this.workload.volumes) note(v);
    return checkPodRules({
      containers,
      volumes,
      isClaim: name => this.volumes.isClaim(name),
      budget: this.budget,
      sysctls: this.workload.securityContext.sysctls,
    });
  }
}
