import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { PodWorkload } from './composition';
import { ConfigVolumeOptions, NamedMount, SharedVolumeOptions } from './pattern';
import { ClaimMount } from './render/render-step';
import { got, ValidationError } from './validation-error';
import { assertAbsolutePath, assertDnsLabel } from './validators';
import { VolumeSource } from './volume-sources';

/** A volume patterns refer to by name. */
type NamedVolume =
  | { readonly kind: 'shared'; readonly volume: kplus.Volume; readonly options: SharedVolumeOptions }
  | { readonly kind: 'config'; readonly volume: kplus.Volume; readonly configMap: kplus.IConfigMap; readonly options: string }
  | { readonly kind: 'claim' };

function describeNamedVolume(v: NamedVolume): string {
  switch (v.kind) {
    case 'shared': return 'shared volume';
    case 'config': return 'ConfigMap volume';
    case 'claim': return 'volume claim template';
  }
}

/**
 * @internal
 * The volumes of one Pod that patterns refer to by name: shared emptyDirs,
 * ConfigMap volumes and per-replica claims (mounted by name, rendered as
 * volume claim templates). Two patterns asking for the same name share one
 * volume; a name means one kind of volume only.
 */
export class PodVolumes {
  private readonly named = new Map<string, NamedVolume>();
  private readonly claims: ClaimMount[] = [];
  /** Sources of the other volumes the library created for this Pod (a NodeAgent's hostPaths); made on first use. */
  private otherSources?: Map<kplus.Volume, VolumeSource>;

  constructor(private readonly owner: Construct, private readonly workload: PodWorkload) {}

  /** The mounts of per-replica claims, in mount order. */
  public get claimMounts(): ClaimMount[] {
    return [...this.claims];
  }

  /** Record the source of a volume the library created for this Pod outside this class (a NodeAgent's hostPath). */
  public recordSource(volume: kplus.Volume, source: VolumeSource): void {
    (this.otherSources ??= new Map()).set(volume, source);
  }

  /** The source of `volume` when the library created it for this Pod, else undefined. */
  public sourceOf(volume: kplus.Volume): VolumeSource | undefined {
    for (const named of this.named.values()) {
      if (named.kind !== 'claim' && named.volume === volume) return named.kind === 'shared' ? VolumeSource.EMPTY_DIR : VolumeSource.CONFIG_MAP;
    }
    return this.otherSources?.get(volume);
  }

  /** True for the name of a per-replica volume claim. */
  public isClaim(name: string): boolean {
    return this.named.get(name)?.kind === 'claim';
  }

  /**
   * The shared emptyDir `name`: created on first use, the same volume for
   * every later caller that asks with the same options (or none).
   */
  public sharedVolume(scope: Construct, name: string, options: SharedVolumeOptions = {}): kplus.Volume {
    assertDnsLabel(scope, 'shared volume name', name);
    if (options.sizeLimit !== undefined && !(options.sizeLimit.toKibibytes() > 0)) {
      throw new ValidationError(scope,
        `shared volume "${name}" has sizeLimit ${got(options.sizeLimit.asString())}; an emptyDir needs a positive size limit, `
        + 'or none. Fix: use a size like Size.mebibytes(64), or leave sizeLimit unset.');
    }
    const existing = this.named.get(name);
    if (existing?.kind === 'shared') {
      const a = existing.options;
      const sameMedium = (a.medium ?? kplus.EmptyDirMedium.DEFAULT) === (options.medium ?? kplus.EmptyDirMedium.DEFAULT);
      const sameLimit = (a.sizeLimit?.toKibibytes()) === (options.sizeLimit?.toKibibytes());
      if ((options.medium !== undefined || options.sizeLimit !== undefined) && (!sameMedium || !sameLimit)) {
        throw new ValidationError(scope,
          `shared volume "${name}" was already created with different options (${describeEmptyDir(a)}); `
          + `got ${describeEmptyDir(options)}. Fix: ask for the shared volume with the same options, or use another name.`);
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
    this.named.set(name, { kind: 'shared', volume, options: { medium: options.medium, sizeLimit: options.sizeLimit } });
    return volume;
  }

  /** Declare a per-replica volume claim (StatefulService). */
  public declareClaim(name: string): void {
    const existing = this.named.get(name);
    if (existing) {
      throw new ValidationError(this.owner,
        `volume claim template "${name}" clashes with the ${describeNamedVolume(existing)} of that name. Fix: use another name.`);
    }
    this.named.set(name, { kind: 'claim' });
  }

  public mount(scope: Construct, container: kplus.Container, mount: NamedMount): void {
    assertAbsolutePath(scope, `mount path of volume "${mount.volume}"`, mount.path);
    const named = this.named.get(mount.volume);
    if (named?.kind === 'claim') {
      this.claims.push({
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
    const known = [...this.named.keys()];
    throw new ValidationError(scope,
      `container "${container.name}" mounts volume "${mount.volume}" at "${mount.path}", but the Pod has no volume of that name `
      + `(known: ${known.length ? known.map(k => `"${k}"`).join(', ') : 'none'}). Fix: create it first with sharedVolume("${mount.volume}") `
      + 'or declare it as a volume claim template.');
  }

  /**
   * The Pod volume `volumeName` backed by `configMap`, created (in `scope`) on
   * first use and mountable by name from then on.
   */
  public configMapVolume(scope: Construct, configMap: kplus.IConfigMap, volumeName: string, options: ConfigVolumeOptions = {}): kplus.Volume {
    assertDnsLabel(scope, 'volume name', volumeName);
    const existing = this.named.get(volumeName);
    const optionsKey = configVolumeOptionsKey(options);
    if (existing?.kind === 'config') {
      if (existing.configMap !== configMap) {
        throw new ValidationError(scope,
          `volume "${volumeName}" already holds ConfigMap "${existing.configMap.name}" (got ConfigMap "${configMap.name}"). `
          + 'Fix: use another volume name for the second ConfigMap.');
      }
      if (existing.options !== optionsKey) {
        throw new ValidationError(scope,
          `volume "${volumeName}" already shows ConfigMap "${configMap.name}" with file modes and items ${existing.options} `
          + `(got ${optionsKey}). Fix: ask for the volume with the same options, or use another volume name.`);
      }
      return existing.volume;
    }
    if (existing) {
      throw new ValidationError(scope,
        `ConfigMap volume "${volumeName}" clashes with the ${describeNamedVolume(existing)} of that name. Fix: use another volume name.`);
    }
    const items: { [key: string]: kplus.PathMapping } = {};
    for (const i of options.items ?? []) items[i.key] = { path: i.path, mode: i.mode };
    const volume = kplus.Volume.fromConfigMap(scope, `Volume-${volumeName}`, configMap, {
      name: volumeName,
      defaultMode: options.defaultMode,
      items: options.items ? items : undefined,
    });
    this.named.set(volumeName, { kind: 'config', volume, configMap, options: optionsKey });
    return volume;
  }
}

/** The file modes and items of a ConfigMap volume as a string that compares equal for equal options. */
function configVolumeOptionsKey(options: ConfigVolumeOptions): string {
  // most volumes set neither: the same key, without serializing
  if (options.defaultMode === undefined && options.items === undefined) return '{}';
  return JSON.stringify({ defaultMode: options.defaultMode, items: options.items });
}

function describeEmptyDir(o: SharedVolumeOptions): string {
  return `medium ${o.medium ? got(o.medium) : 'default (node disk)'}, sizeLimit ${o.sizeLimit ? got(o.sizeLimit.asString()) : 'none'}`;
}
