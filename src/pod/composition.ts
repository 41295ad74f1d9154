import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadataDefinition } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IValidation } from 'constructs';
import {
  assertAbsolutePath, assertDnsLabel, assertEnvName, assertEnvNames, assertNoHostPort, assertPinnedImage, assertPort, assertPortName,
  objectNameProblem,
} from './names';
import {
  ConfigFile, IPodPattern, NamedMount, PatternContainerOptions, PatternPort, PodPatternHost, PodPort,
  SharedVolumeOptions, WorkloadKind,
} from './pattern';
import { PodResourceTotals, ResourceBudget } from './pod-resources';
import { checkPodRules, ContainerRole, podResourceTotals, RuleContainer } from './pod-rules';
import { hardenPodSpec, INIT_STEP_RESOURCES, SecureDefaults, SIDECAR_RESOURCES, sortedObject, withSortedKey } from './secure-defaults';
import { KubernetesVersion, SidecarMode } from './sidecar-mode';
import { got, ValidationError } from './validation-error';

/** Pod template annotation that carries the hash of the Pod's rendered configuration. */
export const CONFIG_HASH_ANNOTATION = 'container-patterns.cdk8s.io/config-hash';

/** Pod template annotation naming the main container, read by `kubectl logs` and `kubectl exec`. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** @internal problems with the names of the objects rendered under `scope`. */
export function objectNameProblems(scope: Construct): string[] {
  const out: string[] = [];
  for (const c of scope.node.findAll()) {
    if (c instanceof ApiObject) {
      const problem = objectNameProblem(c.kind, c.name);
      if (problem) out.push(problem);
    }
  }
  return out;
}

/**
 * @internal
 * Throws for the first object rendered under `scope` whose name Kubernetes
 * would reject. Names are fixed when an object is created (they come from its
 * construct path), so this can run as soon as the objects exist.
 */
export function assertObjectNames(scope: Construct): void {
  // the objects of a workload are its direct children, or their default children (cdk8s-plus resources)
  for (const child of scope.node.children) {
    const api = child instanceof ApiObject ? child : child.node.defaultChild;
    if (api instanceof ApiObject) {
      const problem = objectNameProblem(api.kind, api.name);
      if (problem) throw new ValidationError(scope, problem);
    }
  }
}

/** A pod workload of cdk8s-plus with its template metadata. */
export type PodWorkload = kplus.AbstractPod & { readonly podMetadata: ApiObjectMetadataDefinition };

/** A per-replica volume, mounted by name, rendered outside of `spec.template`. */
export interface ClaimMount {
  readonly containerName: string;
  readonly claimName: string;
  readonly path: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

/**
 * The order of ConfigMaps in the config hash: `localeCompare`'s, with one
 * collator instead of one per comparison, built on first use: building it
 * loads ICU's collation data, which would cost every `require` of the
 * library about 10 ms.
 */
let nameOrder: Intl.Collator | undefined;

/** A volume patterns refer to by name. */
type NamedVolume =
  | { readonly kind: 'shared'; readonly volume: kplus.Volume; readonly options: SharedVolumeOptions }
  | { readonly kind: 'config'; readonly volume: kplus.Volume; readonly configMap: kplus.IConfigMap }
  | { readonly kind: 'claim' };

function describeNamedVolume(v: NamedVolume): string {
  switch (v.kind) {
    case 'shared': return 'shared volume';
    case 'config': return 'ConfigMap volume';
    case 'claim': return 'volume claim template';
  }
}

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
  readonly templatePath: string[];
}

/**
 * @internal
 * The composition core: the state shared by a workload and the patterns
 * attached to it, the pod rules, and the post-processing of the rendered
 * object (for what cdk8s-plus-27 cannot express).
 */
export class PodComposition implements IValidation {
  public readonly owner: Construct;
  public readonly workload: PodWorkload;
  public readonly kind: WorkloadKind;
  public readonly mainContainer: kplus.Container;
  public readonly sidecarMode: SidecarMode;
  public readonly kubernetesVersion: KubernetesVersion;

  private readonly budget?: ResourceBudget;
  private readonly templatePath: string[];
  private readonly patterns: IPodPattern[] = [];
  /** The sidecars (native or classic, as `sidecarMode` says). */
  private readonly sidecars = new Set<kplus.Container>();
  /** The volumes patterns refer to by name: shared emptyDirs, ConfigMap volumes and per-replica claims. */
  private readonly namedVolumes = new Map<string, NamedVolume>();
  private readonly claimMounts: ClaimMount[] = [];
  private readonly configMaps: kplus.ConfigMap[] = [];
  private readonly ports: PodPort[] = [];
  private readonly postProcessors: ((obj: any) => void)[] = [];
  private shareProcessNamespace = false;
  private readonly portListeners: ((p: PodPort) => void)[] = [];
  private lastValidation?: { readonly size: number; readonly errors: string[] };

  constructor(props: PodCompositionProps) {
    this.owner = props.owner;
    this.workload = props.workload;
    this.kind = props.kind;
    this.mainContainer = props.mainContainer;
    this.sidecarMode = props.sidecarMode;
    this.kubernetesVersion = props.kubernetesVersion;
    this.budget = props.budget;
    this.templatePath = props.templatePath;

    if (this.sidecarMode === SidecarMode.NATIVE && !this.kubernetesVersion.isAtLeast(KubernetesVersion.NATIVE_SIDECARS_MINIMUM)) {
      throw new ValidationError(this.owner,
        `sidecarMode NATIVE needs Kubernetes >= ${KubernetesVersion.NATIVE_SIDECARS_MINIMUM.version} `
        + `(got kubernetesVersion ${this.kubernetesVersion.version}). Native sidecars are init containers with restartPolicy: Always, `
        + 'which older API servers reject or silently drop. Fix: if your clusters run 1.29 or later, set kubernetesVersion: '
        + 'KubernetesVersion.V1_29 on the workload, or for every workload call app.node.setContext('
        + '"cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in main.ts (cdk8s.yaml does not reach the '
        + 'app); else use SidecarMode.CLASSIC.');
    }
    for (const p of this.mainContainer.ports) {
      this.ports.push({
        containerName: this.mainContainer.name,
        port: p.number,
        name: p.name,
        protocol: p.protocol ?? kplus.Protocol.TCP,
        exposed: true,
      });
    }

    // `kubectl logs/exec` and policy tools pick the app container, not a sidecar
    this.workload.podMetadata.addAnnotation(DEFAULT_CONTAINER_ANNOTATION, this.mainContainer.name);

    this.owner.node.addValidation(this);
    this.installPostProcessing();
  }

  /** Attach a pattern in its own construct scope. */
  public attach(pattern: IPodPattern): void {
    if (!pattern || typeof pattern.attach !== 'function') {
      throw new ValidationError(this.owner, `addPattern expects an IPodPattern (got ${got(pattern)}).`);
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
    this.patterns.push(pattern);
    const scope = new Construct(this.owner, pattern.name);
    try {
      pattern.attach(new CompositionHost(this, scope));
    } catch (e) {
      // every error raised while a pattern attaches names the construct path it happened at
      if (!(e instanceof Error) || e.message.startsWith(`[${this.owner.node.path}`)) throw e;
      throw new ValidationError(scope, e.message);
    }
  }

  /** The patterns, in the order they were attached. */
  public get attachedPatterns(): IPodPattern[] {
    return [...this.patterns];
  }

  /** The Pod's ports (main container and patterns). */
  public get podPorts(): PodPort[] {
    return [...this.ports];
  }

  public declarePort(scope: Construct, containerName: string, port: PatternPort): void {
    assertPortName(scope, 'port name', port.name);
    assertPort(scope, `port "${port.name}"`, port.port);
    this.ports.push({
      containerName,
      port: port.port,
      name: port.name,
      protocol: port.protocol ?? kplus.Protocol.TCP,
      exposed: port.expose ?? false,
    });
    this.portListeners.forEach(l => l(this.ports[this.ports.length - 1]));
  }

  /** Called for every port declared from now on (used by workloads to bind Services). */
  public onPortDeclared(listener: (p: PodPort) => void): void {
    this.portListeners.push(listener);
  }

  /** Validates and normalizes a container a pattern (or the workload) adds. */
  private prepareContainer(scope: Construct, role: string, options: PatternContainerOptions,
    defaultResources: kplus.ContainerResources): kplus.ContainerProps {
    if (!options.name) {
      throw new ValidationError(scope, `${role} needs a name (got none). Fix: pass name, e.g. "${role.replace(/ /g, '-')}".`);
    }
    assertDnsLabel(scope, `${role} name`, options.name);
    const who = `${role} "${options.name}"`;
    assertPinnedImage(scope, `${who} image`, options.image);
    if (options.envVariables) assertEnvNames(scope, who, Object.keys(options.envVariables));
    if (options.ports) {
      assertNoHostPort(scope, who, options.ports);
      for (const p of options.ports) {
        assertPort(scope, `${who} port`, p.number);
        if (p.name) assertPortName(scope, `${who} port name`, p.name);
      }
    }
    for (const m of options.namedMounts ?? []) {
      assertAbsolutePath(scope, `mount path of volume "${m.volume}" in ${who}`, m.path);
    }
    return {
      ...options,
      resources: options.resources ?? defaultResources,
      securityContext: { ...SecureDefaults.containerSecurityContext(), ...options.securityContext },
    };
  }

  public addInitStep(scope: Construct, options: PatternContainerOptions): kplus.Container {
    const props = this.prepareContainer(scope, 'init container', options, INIT_STEP_RESOURCES);
    const c = this.workload.addInitContainer(props);
    this.resolveNamedMounts(scope, c, options.namedMounts);
    return c;
  }

  public addSidecar(scope: Construct, options: PatternContainerOptions): kplus.Container {
    const props = this.prepareContainer(scope, 'sidecar', options, SIDECAR_RESOURCES);
    if (this.sidecarMode === SidecarMode.CLASSIC && (this.kind === WorkloadKind.JOB || this.kind === WorkloadKind.CRON_JOB)) {
      throw new ValidationError(scope,
        `sidecar "${props.name}" cannot run in a ${this.kind} with sidecarMode CLASSIC: a classic sidecar never exits, so the `
        + 'Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
        + 'kubernetesVersion >= 1.29, or drop the sidecar.');
    }
    let c: kplus.Container;
    if (this.sidecarMode === SidecarMode.NATIVE) {
      if (props.readiness || props.liveness || props.startup) {
        throw new ValidationError(scope,
          `sidecar "${props.name}" declares a probe, which this library cannot yet render on a native sidecar. `
          + 'Fix: remove the probe or use SidecarMode.CLASSIC.');
      }
      c = this.workload.addInitContainer(props);
    } else {
      c = this.workload.addContainer(props);
    }
    this.sidecars.add(c);
    this.resolveNamedMounts(scope, c, options.namedMounts);
    return c;
  }

  public sharedVolume(scope: Construct, name: string, options: SharedVolumeOptions = {}): kplus.Volume {
    assertDnsLabel(scope, 'shared volume name', name);
    if (options.sizeLimit !== undefined && !(options.sizeLimit.toKibibytes() > 0)) {
      throw new ValidationError(scope,
        `shared volume "${name}" has sizeLimit ${got(options.sizeLimit.asString())}; an emptyDir needs a positive size limit, `
        + 'or none. Fix: use a size like Size.mebibytes(64), or leave sizeLimit unset.');
    }
    const existing = this.namedVolumes.get(name);
    if (existing?.kind === 'shared') {
      const a = existing.options;
      const sameMedium = (a.medium ?? kplus.EmptyDirMedium.DEFAULT) === (options.medium ?? kplus.EmptyDirMedium.DEFAULT);
      const sameLimit = (a.sizeLimit?.toKibibytes()) === (options.sizeLimit?.toKibibytes());
      if ((options.medium !== undefined || options.sizeLimit !== undefined) && (!sameMedium || !sameLimit)) {
        throw new ValidationError(scope,
          `shared volume "${name}" was already created with different options (medium ${got(a.medium ?? 'default')}, `
          + `sizeLimit ${got(a.sizeLimit?.asString())}); got medium ${got(options.medium ?? 'default')}, sizeLimit `
          + `${got(options.sizeLimit?.asString())}. Fix: ask for the shared volume with the same options, or use another name.`);
      }
      return existing.volume;
    }
    if (existing) {
      throw new ValidationError(scope, `shared volume "${name}" clashes with the ${describeNamedVolume(existing)} of that name. Fix: use another name.`);
    }
    const volume = kplus.Volume.fromEmptyDir(this.owner, `SharedVolume-${name}`, name, {
      medium: options.medium,
      sizeLimit: options.sizeLimit,
    });
    this.workload.addVolume(volume);
    this.namedVolumes.set(name, { kind: 'shared', volume, options });
    return volume;
  }

  /** True for the emptyDir and ConfigMap volumes the composition created itself. */
  public createdEphemeralVolume(v: kplus.Volume): boolean {
    for (const named of this.namedVolumes.values()) if (named.kind !== 'claim' && named.volume === v) return true;
    return false;
  }

  /** Declare a per-replica volume claim (StatefulService). */
  public declareClaim(name: string): void {
    const existing = this.namedVolumes.get(name);
    if (existing) {
      throw new ValidationError(this.owner,
        `volume claim template "${name}" clashes with the ${describeNamedVolume(existing)} of that name. Fix: use another name.`);
    }
    this.namedVolumes.set(name, { kind: 'claim' });
  }

  public mount(scope: Construct, container: kplus.Container, mount: NamedMount): void {
    assertAbsolutePath(scope, `mount path of volume "${mount.volume}"`, mount.path);
    const named = this.namedVolumes.get(mount.volume);
    if (named?.kind === 'claim') {
      this.claimMounts.push({
        containerName: container.name,
        claimName: mount.volume,
        path: mount.path,
        readOnly: mount.readOnly,
        subPath: mount.subPath,
      });
      return;
    }
    if (named) {
      container.mount(mount.path, named.volume, { readOnly: mount.readOnly, subPath: mount.subPath });
      return;
    }
    const known = [...this.namedVolumes.keys()];
    throw new ValidationError(scope,
      `container "${container.name}" mounts volume "${mount.volume}" at "${mount.path}", but the Pod has no volume of that name `
      + `(known: ${known.length ? known.map(k => `"${k}"`).join(', ') : 'none'}). Fix: create it first with sharedVolume("${mount.volume}") `
      + 'or declare it as a volume claim template.');
  }

  private resolveNamedMounts(scope: Construct, c: kplus.Container, mounts?: NamedMount[]): void {
    for (const m of mounts ?? []) this.mount(scope, c, m);
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
        throw new ValidationError(scope, `ConfigMap key ${got(f.key)} is not valid: use letters, digits, '-', '_' or '.'.`);
      }
      cm.addData(f.key, f.content);
    }
    this.configMaps.push(cm);
    return cm;
  }

  /**
   * The Pod volume `volumeName` backed by `configMap`, created (in `scope`) on
   * first use and mountable by name from then on.
   */
  public configMapVolume(scope: Construct, configMap: kplus.IConfigMap, volumeName: string): kplus.Volume {
    assertDnsLabel(scope, 'volume name', volumeName);
    const existing = this.namedVolumes.get(volumeName);
    if (existing?.kind === 'config') {
      if (existing.configMap !== configMap) {
        throw new ValidationError(scope,
          `volume "${volumeName}" already holds ConfigMap "${existing.configMap.name}" (got ConfigMap "${configMap.name}"). `
          + 'Fix: use another volume name for the second ConfigMap.');
      }
      return existing.volume;
    }
    if (existing) {
      throw new ValidationError(scope,
        `ConfigMap volume "${volumeName}" clashes with the ${describeNamedVolume(existing)} of that name. Fix: use another volume name.`);
    }
    const volume = kplus.Volume.fromConfigMap(scope, `Volume-${volumeName}`, configMap, { name: volumeName });
    this.namedVolumes.set(volumeName, { kind: 'config', volume, configMap });
    return volume;
  }

  /** Render `shareProcessNamespace: true` on the Pod (cdk8s-plus-27 cannot express it). */
  public enableProcessNamespaceSharing(): void {
    this.shareProcessNamespace = true;
  }

  /** Register a transformation of the rendered workload object (runs at synth, after cdk8s-plus). */
  public addPostProcessor(fn: (obj: any) => void): void {
    this.postProcessors.push(fn);
  }

  /**
   * The containers as the pod rules see them, in render order. `onVolume` is
   * called with the volume of every mount.
   */
  public ruleContainers(onVolume?: (v: kplus.Volume) => void): RuleContainer[] {
    const claims = this.claimMounts;
    const describe = (c: kplus.Container, role: ContainerRole): RuleContainer => {
      const mounts: { volumeName: string; path: string }[] = [];
      for (const m of c.mounts) {
        mounts.push({ volumeName: m.volume.name, path: m.path });
        onVolume?.(m.volume);
      }
      for (const m of claims) if (m.containerName === c.name) mounts.push({ volumeName: m.claimName, path: m.path });
      return { name: c.name, role, ports: c.ports, mounts, resources: c.resources };
    };
    // render order: native sidecars, init steps, then app containers
    const out: RuleContainer[] = [];
    const inits = this.workload.initContainers;
    for (const c of inits) if (this.sidecars.has(c)) out.push(describe(c, ContainerRole.NATIVE_SIDECAR));
    for (const c of inits) if (!this.sidecars.has(c)) out.push(describe(c, ContainerRole.INIT));
    for (const c of this.workload.containers) {
      out.push(describe(c, this.sidecars.has(c) ? ContainerRole.SIDECAR : ContainerRole.APP));
    }
    return out;
  }

  /** Where the main container mounts volumes, per-replica claims included, in mount order. */
  public mainMountPaths(): string[] {
    const main = this.mainContainer;
    const paths = main.mounts.map(m => m.path);
    for (const m of this.claimMounts) if (m.containerName === main.name) paths.push(m.path);
    return paths;
  }

  public get resourceTotals(): PodResourceTotals {
    return podResourceTotals(this.ruleContainers());
  }

  /**
   * The Pod's structure only grows: containers, mounts, ports and volumes are
   * appended, never replaced or removed. So the total count of everything
   * the rules read rises with every change, and is a fingerprint of the
   * Pod's state. `cdk8s synth` validates more than once; an unchanged Pod is
   * not checked again.
   */
  public structureSize(): number {
    let size = this.workload.volumes.length + this.claimMounts.length + this.namedVolumes.size;
    for (const c of this.workload.initContainers) size += 1 + c.mounts.length + c.ports.length;
    for (const c of this.workload.containers) size += 1 + c.mounts.length + c.ports.length;
    return size;
  }

  /** The pod rules' findings (an IValidation of the owning workload). */
  public validate(): string[] {
    const size = this.structureSize();
    if (this.lastValidation?.size !== size) this.lastValidation = { size, errors: this.checkRules() };
    return [...this.lastValidation.errors];
  }

  private checkRules(): string[] {
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
      isClaim: name => this.namedVolumes.get(name)?.kind === 'claim',
      budget: this.budget,
    });
  }

  /** Hash over the content of every tracked ConfigMap, in a stable order. */
  public configHash(): string | undefined {
    if (this.configMaps.length === 0) return undefined;
    const h = createHash('sha256');
    for (const cm of [...this.configMaps].sort((a, b) => (nameOrder ??= new Intl.Collator()).compare(a.name, b.name))) {
      h.update(cm.name).update('\0');
      const data = cm.data;
      for (const key of Object.keys(data).sort()) h.update(key).update('\0').update(data[key]).update('\0');
    }
    return h.digest('hex').slice(0, 16);
  }

  private installPostProcessing(): void {
    const api = ApiObject.of(this.workload);
    const render = api.toJson;
    api.toJson = () => {
      const obj = render.call(api);
      this.finish(obj);
      return obj;
    };
  }

  /** Completes the rendered object with what cdk8s-plus-27 cannot express. */
  private finish(obj: any): void {
    let template: any = obj;
    for (const key of this.templatePath) template = template?.[key];
    if (!template?.spec) return;
    const spec = template.spec;

    // native sidecars: first among the init containers, with restartPolicy: Always
    if (this.sidecarMode === SidecarMode.NATIVE && this.sidecars.size > 0 && spec.initContainers) {
      const names = new Set([...this.sidecars].map(c => c.name));
      const sidecars = spec.initContainers.filter((c: any) => names.has(c.name))
        .map((c: any) => withSortedKey(c, 'restartPolicy', 'Always'));
      const steps = spec.initContainers.filter((c: any) => !names.has(c.name));
      spec.initContainers = [...sidecars, ...steps];
    }

    // per-replica volumes mounted by name
    for (const m of this.claimMounts) {
      const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === m.containerName);
      if (!c) continue;
      c.volumeMounts = [...(c.volumeMounts ?? []), sortedObject({
        name: m.claimName,
        mountPath: m.path,
        ...(m.readOnly ? { readOnly: true } : {}),
        ...(m.subPath ? { subPath: m.subPath } : {}),
      })];
    }

    hardenPodSpec(spec);

    if (this.shareProcessNamespace) template.spec = withSortedKey(spec, 'shareProcessNamespace', true);

    const hash = this.configHash();
    if (hash) {
      const metadata = template.metadata ?? {};
      const hadAnnotations = metadata.annotations !== undefined;
      metadata.annotations = withSortedKey(metadata.annotations ?? {}, CONFIG_HASH_ANNOTATION, hash);
      // a new key goes where cdk8s would have sorted it
      template.metadata = hadAnnotations ? metadata : sortedObject(metadata);
    }
    for (const fn of this.postProcessors) fn(obj);
  }
}

/**
 * @internal
 * The host handed to one pattern: everything it does lands in the composition,
 * and the constructs it creates live in the pattern's own scope.
 */
class CompositionHost extends PodPatternHost {
  public readonly sidecarMode: SidecarMode;
  public readonly kubernetesVersion: KubernetesVersion;
  public readonly workloadKind: WorkloadKind;
  public readonly mainContainerName: string;

  constructor(private readonly composition: PodComposition, private readonly scope: Construct) {
    super();
    this.sidecarMode = composition.sidecarMode;
    this.kubernetesVersion = composition.kubernetesVersion;
    this.workloadKind = composition.kind;
    this.mainContainerName = composition.mainContainer.name;
  }

  public get mainPorts(): PodPort[] {
    return this.composition.podPorts.filter(p => p.containerName === this.mainContainerName);
  }

  public get mainMountPaths(): string[] {
    return this.composition.mainMountPaths();
  }

  public addInitContainer(options: PatternContainerOptions): kplus.Container {
    return this.composition.addInitStep(this.scope, options);
  }

  public addSidecar(options: PatternContainerOptions): kplus.Container {
    return this.composition.addSidecar(this.scope, options);
  }

  public sharedVolume(name: string, options?: SharedVolumeOptions): kplus.Volume {
    return this.composition.sharedVolume(this.scope, name, options);
  }

  public mountOnMain(mount: NamedMount): void {
    this.composition.mount(this.scope, this.composition.mainContainer, mount);
  }

  public addMainEnv(name: string, value: kplus.EnvValue): void {
    this.composition.addMainEnv(this.scope, name, value);
  }

  public declarePort(containerName: string, port: PatternPort): void {
    this.composition.declarePort(this.scope, containerName, port);
  }

  public addPodAnnotation(key: string, value: string): void {
    this.composition.addPodAnnotation(this.scope, key, value);
  }

  public addConfigMap(id: string, files: ConfigFile[]): kplus.ConfigMap {
    return this.composition.addConfigMap(this.scope, id, files);
  }

  public configMapVolume(configMap: kplus.IConfigMap, volumeName: string): kplus.Volume {
    return this.composition.configMapVolume(this.scope, configMap, volumeName);
  }

  public enableProcessNamespaceSharing(): void {
    this.composition.enableProcessNamespaceSharing();
  }
}
