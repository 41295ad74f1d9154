/**
 * @internal
 * Reading rendered manifests, for the policy rules: where a kind keeps its
 * Pod template, which containers it has, what a selector selects.
 */

/** Pod template annotation naming the main container. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** Kinds with a Pod template, and where it lives. */
export function podTemplateOf(obj: any): { metadata?: any; spec?: any } | undefined {
  switch (obj.kind) {
    case 'Pod': return { metadata: obj.metadata, spec: obj.spec };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return obj.spec?.template;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template;
    default: return undefined;
  }
}

export const LONG_RUNNING = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
export const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

export function idOf(obj: any): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata?.name}` : `${obj.kind}/${obj.metadata?.name}`;
}

export function sameNamespace(a: any, b: any): boolean {
  return (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

/**
 * True when a label selector (matchLabels / matchExpressions) selects a
 * set of labels. An absent selector selects nothing; an empty one everything.
 */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service selects with plain labels (no expressions); an empty selector selects nothing. */
export function serviceSelects(service: any, labels: Record<string, string>): boolean {
  const sel = service.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

export interface ContainerRef { readonly c: any; readonly kind: string }

export function containersOf(spec: any): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const c of spec?.initContainers ?? []) out.push({ c, kind: c?.restartPolicy === 'Always' ? 'sidecar' : 'init container' });
  for (const c of spec?.containers ?? []) out.push({ c, kind: 'container' });
  return out.filter(x => x.c && typeof x.c === 'object');
}

export function mainContainerOf(template: any): any {
  const containers: any[] = template?.spec?.containers ?? [];
  const named = template?.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  return (named && containers.find(c => c?.name === named)) || containers[0];
}

/** The tag of an image reference, '' when it has none; undefined when pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  return lastColon > lastSlash ? image.slice(lastColon + 1) : '';
}

/** The number of replicas a workload may run: `replicas`, or the most an HPA scales it to. */
export function maxReplicas(obj: any, hpas: any[]): { replicas: number; hpa?: any } {
  const hpa = hpas.find(h => sameNamespace(h, obj)
    && h.spec?.scaleTargetRef?.kind === obj.kind && h.spec?.scaleTargetRef?.name === obj.metadata?.name);
  if (hpa) return { replicas: Number(hpa.spec?.maxReplicas ?? 0), hpa };
  return { replicas: obj.spec?.replicas === undefined ? 1 : Number(obj.spec.replicas) };
}

export function spreadsItself(spec: any, labels: Record<string, string>): boolean {
  if ((spec?.topologySpreadConstraints ?? []).some((t: any) => selects(t?.labelSelector, labels))) return true;
  const anti = spec?.affinity?.podAntiAffinity;
  if (!anti) return false;
  const required: any[] = anti.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const preferred: any[] = anti.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return required.some(t => selects(t?.labelSelector, labels))
    || preferred.some(t => selects(t?.podAffinityTerm?.labelSelector, labels));
}
