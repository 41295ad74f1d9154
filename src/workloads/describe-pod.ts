import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ConnectionView, ContainerView, ContainerViewRole, EnvRefView, EnvSourceKind, MountView, PodView, ServiceView, VolumeSourceKind,
  VolumeView,
} from './pod-view';
import { PodComposition } from '../pod/composition';
import { WorkloadKind } from '../pod/pattern';
import { byCodePoint as compareCodePoints } from '../pod/validators';

/** @internal what a workload adds to its composition to describe its Pod. */
export interface DescribePodInput {
  /** The library construct that owns the workload. */
  readonly owner: Construct;
  readonly composition: PodComposition;
  /** The connections made with `connect()`, in order. */
  readonly connections: ConnectionView[];
  /** Requested size of each per-replica claim, by claim name. */
  readonly claimSizes: Map<string, string>;
}

/**
 * @internal
 * The read-only view of a workload's Pod, from the composition and the
 * cdk8s-plus objects it holds (never from rendered YAML).
 */
export function describePod(input: DescribePodInput): PodView {
  const { owner, composition } = input;
  const workload = composition.workload;
  return {
    id: pathBelowChart(owner),
    kind: composition.kind,
    objectName: workload.name,
    scale: scaleOf(owner, composition),
    sidecarMode: composition.sidecarMode,
    mainContainer: composition.mainContainer.name,
    containers: containersOf(composition),
    volumes: volumesOf(composition, input.claimSizes),
    services: servicesOf(owner),
    connections: [...input.connections],
    patterns: composition.attachedPatterns,
  };
}

function pathBelowChart(owner: Construct): string {
  const chartPath = Chart.of(owner).node.path;
  const path = owner.node.path;
  return chartPath && path.startsWith(`${chartPath}/`) ? path.slice(chartPath.length + 1) : path;
}

function scaleOf(owner: Construct, composition: PodComposition): string | undefined {
  const workload = composition.workload as unknown as { readonly replicas?: number; readonly schedule?: { expressionString: string } };
  const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;
  switch (composition.kind) {
    case WorkloadKind.DEPLOYMENT: {
      const hpa = owner.node.children.find(c => c instanceof kplus.HorizontalPodAutoscaler) as kplus.HorizontalPodAutoscaler | undefined;
      if (hpa) return `${hpa.minReplicas} to ${hpa.maxReplicas} replicas, autoscaled`;
      return workload.replicas === undefined ? undefined : plural(workload.replicas);
    }
    case WorkloadKind.STATEFUL_SET:
      return workload.replicas === undefined ? undefined : plural(workload.replicas);
    case WorkloadKind.DAEMON_SET:
      return 'one per node';
    case WorkloadKind.CRON_JOB:
      return workload.schedule ? `schedule ${workload.schedule.expressionString}` : undefined;
    default:
      return undefined;
  }
}

function containersOf(composition: PodComposition): ContainerView[] {
  const workload = composition.workload;
  const claims = composition.perReplicaMounts;
  const rendered = composition.renderedPodSpec();
  const describe = (c: kplus.Container, role: ContainerViewRole): ContainerView => {
    const mounts: MountView[] = c.mounts.map(m => ({ volume: m.volume.name, path: m.path, readOnly: m.readOnly ?? false }));
    for (const m of claims) {
      if (m.containerName === c.name) mounts.push({ volume: m.claimName, path: m.path, readOnly: m.readOnly ?? false });
    }
    return {
      name: c.name,
      role,
      image: c.image,
      ports: c.ports.map(p => ({ port: p.number, name: p.name, protocol: p.protocol ?? kplus.Protocol.TCP })),
      mounts,
      envRefs: envRefsOf(c, rendered),
    };
  };
  const out: ContainerView[] = [];
  for (const c of workload.initContainers) if (!composition.isSidecar(c)) out.push(describe(c, ContainerViewRole.INIT));
  for (const c of workload.containers) if (!composition.isSidecar(c)) out.push(describe(c, ContainerViewRole.APP));
  for (const c of workload.initContainers) if (composition.isSidecar(c)) out.push(describe(c, ContainerViewRole.NATIVE_SIDECAR));
  for (const c of workload.containers) if (composition.isSidecar(c)) out.push(describe(c, ContainerViewRole.SIDECAR));
  return out;
}

function envRefsOf(c: kplus.Container, rendered: any): EnvRefView[] {
  const out: EnvRefView[] = [];
  const variables = c.env.variables;
  for (const variable of Object.keys(variables)) {
    const from = variables[variable].valueFrom;
    if (from?.secretKeyRef?.name) {
      out.push({ source: EnvSourceKind.SECRET, objectName: from.secretKeyRef.name, variable, key: from.secretKeyRef.key });
    } else if (from?.configMapKeyRef?.name) {
      out.push({ source: EnvSourceKind.CONFIG_MAP, objectName: from.configMapKeyRef.name, variable, key: from.configMapKeyRef.key });
    }
  }
  // env sources as the rendered Pod spec has them (the public output, not cdk8s-plus internals)
  const renderedContainer = [...(rendered?.initContainers ?? []), ...(rendered?.containers ?? [])].find((x: any) => x.name === c.name);
  for (const kube of renderedContainer?.envFrom ?? []) {
    if (kube.configMapRef?.name) out.push({ source: EnvSourceKind.CONFIG_MAP, objectName: kube.configMapRef.name });
    if (kube.secretRef?.name) out.push({ source: EnvSourceKind.SECRET, objectName: kube.secretRef.name });
  }
  return out;
}

function volumesOf(composition: PodComposition, claimSizes: Map<string, string>): VolumeView[] {
  const workload = composition.workload;
  const byName = new Map<string, VolumeView>();
  const renderedVolumes = new Map<string, any>();
  for (const v of composition.renderedPodSpec()?.volumes ?? []) renderedVolumes.set(v.name, v);
  const note = (v: kplus.Volume) => {
    if (!byName.has(v.name)) byName.set(v.name, describeVolume(v.name, renderedVolumes.get(v.name) ?? {}));
  };
  workload.volumes.forEach(note);
  for (const c of [...workload.initContainers, ...workload.containers]) c.mounts.forEach(m => note(m.volume));
  for (const m of composition.perReplicaMounts) {
    if (!byName.has(m.claimName)) {
      byName.set(m.claimName, { name: m.claimName, source: VolumeSourceKind.CLAIM_TEMPLATE, size: claimSizes.get(m.claimName) });
    }
  }
  return [...byName.values()].sort((a, b) => compareCodePoints(a.name, b.name));
}

/** A volume as the rendered Pod spec has it. */
function describeVolume(name: string, kube: any): VolumeView {
  const v = { name };
  if (kube.emptyDir) return { name: v.name, source: VolumeSourceKind.EMPTY_DIR, size: quantity(kube.emptyDir.sizeLimit) };
  if (kube.configMap) return { name: v.name, source: VolumeSourceKind.CONFIG_MAP, reference: kube.configMap.name };
  if (kube.secret) return { name: v.name, source: VolumeSourceKind.SECRET, reference: kube.secret.secretName };
  if (kube.hostPath) return { name: v.name, source: VolumeSourceKind.HOST_PATH, reference: kube.hostPath.path };
  if (kube.persistentVolumeClaim) {
    return { name: v.name, source: VolumeSourceKind.PERSISTENT_VOLUME_CLAIM, reference: kube.persistentVolumeClaim.claimName };
  }
  return { name: v.name, source: VolumeSourceKind.OTHER };
}

function quantity(q: unknown): string | undefined {
  if (q === undefined || q === null) return undefined;
  const value = (q as { value?: unknown }).value;
  return String(value ?? q);
}

function servicesOf(owner: Construct): ServiceView[] {
  const out: ServiceView[] = [];
  for (const child of owner.node.children) {
    if (!(child instanceof kplus.Service)) continue;
    out.push({
      name: child.name,
      type: child.clusterIP === 'None' ? 'headless' : child.type,
      ports: child.ports.map(p => ({ port: p.port, targetPort: p.targetPort ?? p.port, name: p.name })),
    });
  }
  return out;
}
