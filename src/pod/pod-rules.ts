import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PodResourceTotals, ResourceBudget } from './pod-resources';
import { ClaimMount } from './render/render-step';
import { lowestLowPort, UNPRIVILEGED_PORT_SYSCTL } from './unprivileged-ports';

/** @internal the role a container plays in the Pod. */
export enum ContainerRole {
  INIT = 'init step',
  NATIVE_SIDECAR = 'native sidecar',
  SIDECAR = 'sidecar',
  APP = 'app container',
}

/** @internal one container, as the pod rules see it. */
export interface RuleContainer {
  readonly name: string;
  readonly role: ContainerRole;
  readonly ports: kplus.ContainerPort[];
  readonly mounts: { readonly volumeName: string; readonly path: string }[];
  readonly resources?: kplus.ContainerResources;
  /** The user it runs as: its own, else the Pod's; undefined when neither sets one. */
  readonly user?: number;
}

/** @internal what the pod rules check. */
export interface RuleInput {
  /** In render order: native sidecars, init steps, then app containers. */
  readonly containers: RuleContainer[];
  /** Every volume of the Pod, and the distinct objects behind each name. */
  readonly volumes: ReadonlyMap<string, readonly unknown[]>;
  /** True for the name of a per-replica volume claim template. */
  readonly isClaim: (name: string) => boolean;
  readonly budget?: ResourceBudget;
  /** The sysctls the Pod's security context sets. */
  readonly sysctls: readonly { readonly name: string; readonly value: string }[];
}

/** @internal parses a CPU quantity ("250m", "1", "0.5") into millicores. */
export function cpuToMillis(cpu: kplus.Cpu): number {
  const amount = String((cpu as any).amount);
  if (amount.endsWith('m')) return Number(amount.slice(0, -1));
  return Math.round(Number(amount) * 1000);
}

function sizeToMebibytes(size: Size): number {
  return size.toKibibytes() / 1024;
}

function fmtCpu(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

function fmtMem(mib: number): string {
  const gib = mib / 1024;
  if (mib >= 1024 && Number.isInteger(gib * 100)) return `${gib}Gi`;
  return `${Math.round(mib * 100) / 100}Mi`;
}

interface Amount { request: number; limit?: number }

function amounts(c: RuleContainer): { cpu: Amount; mem: Amount } {
  const r = c.resources;
  return {
    cpu: {
      request: r?.cpu?.request ? cpuToMillis(r.cpu.request) : 0,
      limit: r?.cpu?.limit ? cpuToMillis(r.cpu.limit) : undefined,
    },
    mem: {
      request: r?.memory?.request ? sizeToMebibytes(r.memory.request) : 0,
      limit: r?.memory?.limit ? sizeToMebibytes(r.memory.limit) : undefined,
    },
  };
}

/** Kubelet arithmetic over one resource, for requests or limits. */
function effective(containers: RuleContainer[], pick: (c: RuleContainer) => number | undefined): number | undefined {
  let initPeak = 0;
  let sidecars = 0;
  let apps = 0;
  for (const c of containers) {
    const v = pick(c);
    if (v === undefined) return undefined;
    switch (c.role) {
      case ContainerRole.NATIVE_SIDECAR:
        sidecars += v;
        initPeak = Math.max(initPeak, sidecars);
        break;
      case ContainerRole.INIT:
        initPeak = Math.max(initPeak, sidecars + v);
        break;
      default:
        apps += v;
    }
  }
  return Math.max(initPeak, apps + sidecars);
}

/** @internal computes the Pod's effective requests and limits. */
export function podResourceTotals(containers: RuleContainer[]): PodResourceTotals {
  const a = new Map(containers.map(c => [c, amounts(c)]));
  return {
    cpuRequestMillis: effective(containers, c => a.get(c)!.cpu.request) ?? 0,
    memoryRequestMebibytes: effective(containers, c => a.get(c)!.mem.request) ?? 0,
    cpuLimitMillis: effective(containers, c => a.get(c)!.cpu.limit),
    memoryLimitMebibytes: effective(containers, c => a.get(c)!.mem.limit),
  };
}

function quote(names: string[]): string {
  return names.map(n => `"${n}"`).join(' and ');
}

/** Appends `value` to the list kept under `key` (grouping without copying lists). */
function group<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * True when two of the items are the same by `same`. The lists a Pod has are
 * short, so a pair-wise check is cheaper than building a map, and the maps
 * that name the culprits are built only when there is one.
 */
function hasDuplicate<T>(items: readonly T[], same: (a: T, b: T) => boolean): boolean {
  for (let i = 1; i < items.length; i++) {
    for (let j = 0; j < i; j++) if (same(items[i], items[j])) return true;
  }
  return false;
}

const sameName = (a: RuleContainer, b: RuleContainer) => a.name === b.name;
const samePort = (a: OwnedPort, b: OwnedPort) => a.port.number === b.port.number
  && (a.port.protocol ?? kplus.Protocol.TCP) === (b.port.protocol ?? kplus.Protocol.TCP);
const samePortName = (a: OwnedPort, b: OwnedPort) => a.port.name !== undefined && a.port.name === b.port.name;

interface OwnedPort { readonly owner: string; readonly port: kplus.ContainerPort }

/**
 * @internal
 * Cross-container checks of one Pod. Returns one message per problem; each
 * names the offending value and the fix. An empty list means the Pod is sound.
 */
export function checkPodRules(input: RuleInput): string[] {
  const errors: string[] = [];

  // 1. container names are unique across init and app containers
  if (hasDuplicate(input.containers, sameName)) {
    const byName = new Map<string, RuleContainer[]>();
    for (const c of input.containers) group(byName, c.name, c);
    for (const [name, list] of byName) {
      if (list.length > 1) {
        errors.push(`container name "${name}" is used ${list.length} times (${list.map(c => c.role).join(', ')}); `
          + 'container names must be unique across the init containers and containers of a Pod. '
          + 'Fix: give each container (or pattern) a distinct name.');
      }
    }
  }

  // 2. ports are unique across all containers: they share one network namespace
  const ports: OwnedPort[] = [];
  for (const c of input.containers) for (const port of c.ports) ports.push({ owner: c.name, port });
  if (hasDuplicate(ports, samePort)) {
    const byPort = new Map<string, string[]>();
    for (const p of ports) group(byPort, `${p.port.number}/${p.port.protocol ?? kplus.Protocol.TCP}`, p.owner);
    for (const [key, owners] of byPort) {
      if (owners.length > 1) {
        errors.push(`container port ${key} is declared by containers ${quote(owners)}; the containers of a Pod share one network `
          + 'namespace, so only one of them can listen on it. Fix: move one of them to a different port.');
      }
    }
  }
  if (hasDuplicate(ports, samePortName)) {
    const byPortName = new Map<string, string[]>();
    for (const p of ports) if (p.port.name) group(byPortName, p.port.name, p.owner);
    for (const [name, owners] of byPortName) {
      if (owners.length > 1) {
        errors.push(`port name "${name}" is declared by containers ${quote(owners)}; a named port must identify one port of the Pod. `
          + 'Fix: rename one of the ports.');
      }
    }
  }

  // 3. a container never mounts the same path twice
  for (const c of input.containers) {
    const mounts = c.mounts;
    for (let i = 1; i < mounts.length; i++) {
      for (let j = i - 1; j >= 0; j--) {
        if (mounts[j].path === mounts[i].path) {
          errors.push(`container "${c.name}" mounts path "${mounts[i].path}" twice (volumes "${mounts[j].volumeName}" and "${mounts[i].volumeName}"). `
            + 'Fix: mount each volume at its own path.');
          break;
        }
      }
    }
  }

  // 4. every mounted volume exists, and a volume name denotes one volume
  for (const [name, objects] of input.volumes) {
    if (objects.length > 1) {
      errors.push(`volume name "${name}" is used by ${objects.length} different volumes. Fix: give each volume a distinct name, `
        + 'or share one volume object.');
    }
  }
  for (const c of input.containers) {
    for (const m of c.mounts) {
      if (!input.volumes.has(m.volumeName) && !input.isClaim(m.volumeName)) {
        errors.push(`container "${c.name}" mounts volume "${m.volumeName}" at "${m.path}", but the Pod has no such volume. `
          + 'Fix: declare it (a shared volume, or a volume claim template of a StatefulService) before mounting it.');
      }
    }
  }

  // 5. quantities are valid, and no container requests more than its limit
  checkRequestsWithinLimits(input.containers, errors);

  // 6. the Pod fits the per-node budget
  if (input.budget) {
    errors.push(...checkBudget(input.containers, input.budget));
  }

  // 7. a non-root container can bind the ports below 1024 it declares (the render pipeline lowers the sysctl unless it is set)
  const given = input.sysctls.find(s => s.name === UNPRIVILEGED_PORT_SYSCTL);
  const low = given && lowestLowPort(input.containers.map(c => ({ name: c.name, user: c.user, ports: c.ports.map(p => p.number) })));
  if (given && low && !(Number(given.value) <= low.port)) {
    errors.push(`podSecurityContext sets ${UNPRIVILEGED_PORT_SYSCTL} to "${given.value}", yet container "${low.container}" runs as a `
      + `non-root user and declares port ${low.port}, which it then cannot bind. Fix: set the sysctl to ${low.port} or lower, or `
      + 'drop it and let the library set it.');
  }
  return errors;
}

/**
 * Kubernetes rejects a container whose request of a resource is above its
 * limit of that resource. Appends the problems to `errors`, with values
 * quoted as they are rendered.
 */
function checkRequestsWithinLimits(containers: RuleContainer[], errors: string[]): void {
  for (const c of containers) {
    const r = c.resources;
    if (!r) continue;
    const a = amounts(c);
    const { cpu, memory } = r;
    if (cpu?.request) checkQuantity(errors, c, 'CPU request', a.cpu.request, () => cpu.request!.amount);
    if (cpu?.limit) checkQuantity(errors, c, 'CPU limit', a.cpu.limit, () => cpu.limit!.amount);
    if (memory?.request) checkQuantity(errors, c, 'memory request', a.mem.request, () => memory.request!.asString());
    if (memory?.limit) checkQuantity(errors, c, 'memory limit', a.mem.limit, () => memory.limit!.asString());
    if (r.cpu?.request && r.cpu.limit && a.cpu.limit !== undefined && a.cpu.request > a.cpu.limit) {
      const request = r.cpu.request.amount;
      const limit = r.cpu.limit.amount;
      errors.push(`${c.role} "${c.name}" requests ${request} CPU, more than its CPU limit of ${limit}; Kubernetes rejects a `
        + `request above its limit. Fix: lower the CPU request to at most ${limit}, or raise the CPU limit.`);
    }
    if (r.memory?.request && r.memory.limit && a.mem.limit !== undefined && a.mem.request > a.mem.limit) {
      const request = r.memory.request.asString();
      const limit = r.memory.limit.asString();
      errors.push(`${c.role} "${c.name}" requests ${request} of memory, more than its memory limit of ${limit}; Kubernetes rejects `
        + `a request above its limit. Fix: lower the memory request to at most ${limit}, or raise the memory limit.`);
    }
  }
}

/** A quantity must be a non-negative number; `shown` gives the value as it is rendered, for the message only. */
function checkQuantity(errors: string[], c: RuleContainer, what: string, value: number | undefined, shown: () => unknown): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
    errors.push(`${c.role} "${c.name}" has ${what} ${JSON.stringify(shown())}, which is not a non-negative quantity. `
      + `Fix: use a value like ${what.startsWith('CPU') ? 'Cpu.millis(250)' : 'Size.mebibytes(128)'}.`);
  }
}

function checkBudget(containers: RuleContainer[], budget: ResourceBudget): string[] {
  const errors: string[] = [];
  const totals = podResourceTotals(containers);
  const running = containers.filter(c => c.role !== ContainerRole.INIT);
  const describe = (pick: (c: RuleContainer) => number, fmt: (n: number) => string) =>
    running.filter(c => pick(c) > 0).map(c => `${c.role} "${c.name}" ${fmt(pick(c))}`).join(' + ');

  if (budget.memory) {
    const max = sizeToMebibytes(budget.memory);
    if (totals.memoryRequestMebibytes > max) {
      errors.push(`the Pod requests ${fmtMem(totals.memoryRequestMebibytes)} of memory `
        + `(${describe(c => amounts(c).mem.request, fmtMem)}), but maxPodResources.memory is ${fmtMem(max)}. `
        + 'All containers of a Pod are scheduled together onto one node, so a node with '
        + `${fmtMem(max)} can never host this Pod. Fix: lower the containers' memory requests or raise maxPodResources.memory.`);
    }
  }
  if (budget.cpu) {
    const max = cpuToMillis(budget.cpu);
    if (totals.cpuRequestMillis > max) {
      errors.push(`the Pod requests ${fmtCpu(totals.cpuRequestMillis)} CPU `
        + `(${describe(c => amounts(c).cpu.request, fmtCpu)}), but maxPodResources.cpu is ${fmtCpu(max)}. `
        + 'All containers of a Pod are scheduled together onto one node, so a node with '
        + `${fmtCpu(max)} CPU can never host this Pod. Fix: lower the containers' CPU requests or raise maxPodResources.cpu.`);
    }
  }
  return errors;
}

/**
 * @internal
 * The containers of `pod` as the pod rules see them, in render order: native
 * sidecars, init steps, then app containers. `onVolume` is called with the
 * volume of every mount.
 */
export function describeContainers(pod: kplus.AbstractPod, isSidecar: (c: kplus.Container) => boolean, claims: readonly ClaimMount[],
  onVolume?: (v: kplus.Volume) => void): RuleContainer[] {
  const podUser = pod.securityContext.user;
  const inits = pod.initContainers;
  const out: RuleContainer[] = [];
  for (const c of inits) if (isSidecar(c)) out.push(describeContainer(c, ContainerRole.NATIVE_SIDECAR, podUser, claims, onVolume));
  for (const c of inits) if (!isSidecar(c)) out.push(describeContainer(c, ContainerRole.INIT, podUser, claims, onVolume));
  for (const c of pod.containers) out.push(describeContainer(c, isSidecar(c) ? ContainerRole.SIDECAR : ContainerRole.APP, podUser, claims, onVolume));
  return out;
}

/** One container as the pod rules see it: its mounts (per-replica claims included) and the user it runs as. */
function describeContainer(c: kplus.Container, role: ContainerRole, podUser: number | undefined, claims: readonly ClaimMount[],
  onVolume?: (v: kplus.Volume) => void): RuleContainer {
  const mounts: { volumeName: string; path: string }[] = [];
  for (const m of c.mounts) {
    mounts.push({ volumeName: m.volume.name, path: m.path });
    onVolume?.(m.volume);
  }
  for (const m of claims) if (m.containerName === c.name) mounts.push({ volumeName: m.claimName, path: m.path });
  return { name: c.name, role, ports: c.ports, mounts, resources: c.resources, user: c.securityContext.user ?? podUser };
}
