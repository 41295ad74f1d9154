import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * Named sizes for the resources of a main container: a CPU and memory
 * request, and a CPU and memory limit.
 *
 * | Preset | CPU request | memory request | CPU limit | memory limit |
 * |--------|-------------|----------------|-----------|--------------|
 * | NANO   | 50m         | 64Mi           | 250m      | 128Mi        |
 * | MICRO  | 100m        | 128Mi          | 500m      | 256Mi        |
 * | SMALL  | 250m        | 256Mi          | 1000m     | 512Mi        |
 * | MEDIUM | 500m        | 512Mi          | 2000m     | 1Gi          |
 * | LARGE  | 1000m       | 1Gi            | 4000m     | 2Gi          |
 * | XLARGE | 2000m       | 4Gi            | 8000m     | 8Gi          |
 *
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export enum ResourcePreset {
  /** 50m / 64Mi requested, 250m / 128Mi limit: a node agent or a tiny helper. */
  NANO = 'nano',
  /** 100m / 128Mi requested, 500m / 256Mi limit. */
  MICRO = 'micro',
  /** 250m / 256Mi requested, 1000m / 512Mi limit: the default of services and tasks. */
  SMALL = 'small',
  /** 500m / 512Mi requested, 2000m / 1Gi limit. */
  MEDIUM = 'medium',
  /** 1000m / 1Gi requested, 4000m / 2Gi limit. */
  LARGE = 'large',
  /** 2000m / 4Gi requested, 8000m / 8Gi limit. */
  XLARGE = 'xlarge',
}

/** CPU request, memory request (Mi), CPU limit, memory limit (Mi) of each preset. */
const SIZES: Record<ResourcePreset, readonly [number, number, number, number]> = {
  [ResourcePreset.NANO]: [50, 64, 250, 128],
  [ResourcePreset.MICRO]: [100, 128, 500, 256],
  [ResourcePreset.SMALL]: [250, 256, 1000, 512],
  [ResourcePreset.MEDIUM]: [500, 512, 2000, 1024],
  [ResourcePreset.LARGE]: [1000, 1024, 4000, 2048],
  [ResourcePreset.XLARGE]: [2000, 4096, 8000, 8192],
};

/** @internal the container resources of a preset. */
export function presetResources(preset: ResourcePreset): kplus.ContainerResources {
  const [cpuRequest, memRequest, cpuLimit, memLimit] = SIZES[preset];
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) },
  };
}

/** @internal true when `preset` is one of the presets. */
export function isResourcePreset(preset: unknown): preset is ResourcePreset {
  return typeof preset === 'string' && Object.prototype.hasOwnProperty.call(SIZES, preset);
}
