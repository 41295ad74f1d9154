import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { getIn } from './render/json-edit';

/**
 * @internal
 * The source of a Pod volume: the key of its source in the Pod spec.
 */
export enum VolumeSource {
  EMPTY_DIR = 'emptyDir',
  CONFIG_MAP = 'configMap',
  SECRET = 'secret',
  HOST_PATH = 'hostPath',
  PERSISTENT_VOLUME_CLAIM = 'persistentVolumeClaim',
}

/** A volume and its source, as far as it is known. */
export interface KnownVolume {
  readonly volume: kplus.Volume;
  /** The source key (`emptyDir`, `hostPath`, ...); undefined when it could not be determined. */
  readonly source?: string;
  /** The rendered source, for volumes the library did not create. */
  readonly rendered?: any;
}

/**
 * @internal
 * The source of each of `volumes`. Volumes the library created are known
 * from when they were created (`knownSource`). For any other volume (one an app created with
 * `kplus.Volume.from*` and mounted itself) the source is read from the
 * workload's rendered Pod spec, the public output, so that a check never
 * passes because a volume's kind could not be read: an unreadable source is
 * reported as undefined and the caller refuses it.
 */
export function volumeSources(workload: kplus.AbstractPod, templatePath: readonly string[], volumes: kplus.Volume[],
  knownSource: (volume: kplus.Volume) => VolumeSource | undefined): KnownVolume[] {
  let rendered: Map<string, any> | undefined;
  const renderedVolumes = () => {
    if (!rendered) {
      rendered = new Map();
      for (const v of renderedPodSpec(workload, templatePath)?.volumes ?? []) rendered.set(v.name, v);
    }
    return rendered;
  };
  return volumes.map(volume => {
    const known = knownSource(volume);
    if (known) return { volume, source: known };
    const r = renderedVolumes().get(volume.name);
    const source = r ? Object.keys(r).find(k => k !== 'name') : undefined;
    return { volume, source, rendered: r };
  });
}

/**
 * @internal
 * The workload's Pod spec as it is rendered (the public output, completed by
 * the render pipeline); undefined when the Pod cannot be rendered (e.g. two
 * volumes share a name, which the pod rules report).
 */
export function renderedPodSpec(workload: kplus.AbstractPod, templatePath: readonly string[]): any {
  try {
    return getIn(ApiObject.of(workload).toJson(), [...templatePath, 'spec']);
  } catch {
    return undefined;
  }
}
