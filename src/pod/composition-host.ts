import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { PodComposition } from './composition';
import { ConfigFile, ConfigVolumeOptions, NamedMount, PatternContainerOptions, PatternPort, PodPatternHost, PodPort, SharedVolumeOptions, WorkloadKind } from './pattern';
import { KubernetesVersion, SidecarMode } from './sidecar-mode';

/**
 * @internal
 * The host handed to one pattern: everything it does lands in the composition,
 * and the constructs it creates live in the pattern's own scope.
 */
export class CompositionHost extends PodPatternHost {
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

  public get mainUser(): number | undefined {
    return this.composition.mainContainer.securityContext.user ?? this.composition.workload.securityContext.user;
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

  public configMapVolume(configMap: kplus.IConfigMap, volumeName: string, options?: ConfigVolumeOptions): kplus.Volume {
    return this.composition.configMapVolume(this.scope, configMap, volumeName, options);
  }

  public enableProcessNamespaceSharing(): void {
    this.composition.enableProcessNamespaceSharing();
  }
}
