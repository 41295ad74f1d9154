import { Chart } from 'cdk8s';
import { EndpointIndex, EndpointKind, EndpointTarget } from './endpoint-index';
import { EdgeStyle, Flowchart, label, NodeShape } from './mermaid';
import { patternLinks, patternNotes } from './pattern-links';
import { Endpoint } from '../dependencies/endpoint';
import { byCodePoint as compareCodePoints } from '../pod/validators';
import {
  ContainerView, ContainerViewRole, EnvSourceKind, MountView, PodView, ServiceView, VolumeSourceKind, VolumeView,
} from '../workloads/pod-view';
import { PatternWorkload } from '../workloads/workload-base';

/** @internal the style classes of the diagram, by role. */
const STYLES: [string, string][] = [
  ['app', 'fill:#dbeafe,stroke:#1d4ed8,color:#0b1f44'],
  ['init', 'fill:#fef3c7,stroke:#b45309,color:#3b2506'],
  ['sidecar', 'fill:#dcfce7,stroke:#15803d,color:#052e16'],
  ['volume', 'fill:#f3f4f6,stroke:#6b7280,color:#111827'],
  ['service', 'fill:#e0f2fe,stroke:#0369a1,color:#082f49'],
  ['config', 'fill:#ede9fe,stroke:#6d28d9,color:#1e1035'],
  ['secret', 'fill:#fee2e2,stroke:#b91c1c,color:#3f0a0a'],
  ['external', 'fill:#ffffff,stroke:#374151,stroke-dasharray:4 3,color:#111827'],
];

const ROLE_CLASS: Record<ContainerViewRole, string> = {
  [ContainerViewRole.INIT]: 'init',
  [ContainerViewRole.APP]: 'app',
  [ContainerViewRole.SIDECAR]: 'sidecar',
  [ContainerViewRole.NATIVE_SIDECAR]: 'sidecar',
};

/** @internal a workload to draw, with its view. */
export interface DrawnPod {
  readonly workload: PatternWorkload;
  readonly view: PodView;
}

/** @internal what the drawing needs to know about the rest of the app. */
export interface DrawContext {
  /** Tells what stands behind an endpoint. */
  readonly endpoints: EndpointIndex;
  /** `Kind/name` of every ConfigMap and Secret the app renders (the others exist already). */
  readonly renderedObjects: Set<string>;
  /** Mermaid direction: LR or TB. */
  readonly direction: string;
}

/** A node outside the Pods, declared once however many edges reach it. */
interface OuterNode {
  readonly label: string;
  readonly shape: NodeShape;
  readonly cssClass: string;
}

/**
 * @internal
 * Draws the Pods of `pods` as one Mermaid flowchart: one subgraph per Pod
 * with its containers and shared volumes; the Services in front of it; the
 * ConfigMaps and Secrets it reads; and the endpoints it reaches.
 */
export function drawPods(pods: DrawnPod[], context: DrawContext): string {
  return new PodDrawing(pods, context).render();
}

class PodDrawing {
  private readonly fc: Flowchart;
  private readonly outer = new Map<string, OuterNode>();
  private readonly drawnWorkloads: Map<PatternWorkload, PodView>;

  constructor(private readonly pods: DrawnPod[], private readonly context: DrawContext) {
    this.fc = new Flowchart(context.direction);
    this.drawnWorkloads = new Map(pods.map(p => [p.workload, p.view]));
  }

  public render(): string {
    for (const { view } of this.pods) this.drawPod(view);
    for (const { view } of this.pods) this.drawEdges(view);
    // nodes outside the Pods in a stable order, whatever order the edges reached them in
    for (const key of [...this.outer.keys()].sort(compareCodePoints)) {
      const n = this.outer.get(key)!;
      this.fc.node(key, n.label, n.shape, n.cssClass);
    }
    for (const [name, style] of STYLES) this.fc.classDef(name, style);
    return this.fc.render();
  }

  // ---- nodes -------------------------------------------------------------------------------------------

  private drawPod(view: PodView): void {
    const title = [`Pod of ${view.kind} ${view.id}`, view.scale].filter(x => x).join(' · ');
    this.fc.subgraph(podKey(view), label([title]), () => {
      const inits = view.containers.filter(c => c.role === ContainerViewRole.INIT);
      for (const c of view.containers) {
        this.fc.node(containerKey(view, c.name), label(this.containerLines(view, c, inits), true), NodeShape.BOX, ROLE_CLASS[c.role]);
      }
      for (const v of view.volumes) {
        if (!drawnAsNode(view, v)) continue;
        this.fc.node(volumeKey(view, v.name), label(volumeLines(v), true), NodeShape.CYLINDER, 'volume');
      }
    });
    for (const s of view.services) {
      const kind = s.type === 'headless' ? 'headless Service' : `Service, ${s.type}`;
      this.fc.node(serviceKey(view, s), label([s.name, kind], true), NodeShape.HEXAGON, 'service');
    }
  }

  private containerLines(view: PodView, c: ContainerView, inits: ContainerView[]): string[] {
    const lines = [c.name, roleText(view, c, inits), c.image];
    for (const pattern of view.patterns) {
      for (const note of patternNotes(pattern)) if (note.container === c.name) lines.push(note.text);
    }
    if (c.ports.length > 0) {
      lines.push(`${c.ports.length === 1 ? 'port' : 'ports'} ${c.ports.map(p => portText(p.port, p.name, p.protocol)).join(', ')}`);
    }
    const own = c.mounts.filter(m => {
      const v = view.volumes.find(x => x.name === m.volume);
      return v !== undefined && v.source === VolumeSourceKind.EMPTY_DIR && !drawnAsNode(view, v);
    });
    if (own.length > 0) lines.push(`own emptyDir at ${own.map(m => m.path).join(', ')}`);
    return lines;
  }

  private outerNode(key: string, node: OuterNode): string {
    if (!this.outer.has(key)) this.outer.set(key, node);
    return this.fc.idFor(key);
  }

  private objectNode(source: EnvSourceKind | VolumeSourceKind, name: string): string {
    const kind = source === EnvSourceKind.SECRET || source === VolumeSourceKind.SECRET ? 'Secret' : 'ConfigMap';
    const existing = !this.context.renderedObjects.has(`${kind}/${name}`);
    return this.outerNode(`${kind === 'Secret' ? 'secret' : 'configmap'} ${name}`, {
      label: label([name, existing ? `existing ${kind}` : kind], true),
      shape: NodeShape.PARALLELOGRAM,
      cssClass: kind === 'Secret' ? 'secret' : 'config',
    });
  }

  /** The node an endpoint is drawn as, and what to add to the label of an edge that reaches it. */
  private endpointNode(target: EndpointTarget): { readonly id: string; readonly note?: string } {
    const drawn = target.workload ? this.drawnWorkloads.get(target.workload) : undefined;
    if (drawn && drawn.services.length > 0 && (target.kind === EndpointKind.WORKLOAD || target.kind === EndpointKind.MEMBER)) {
      // a workload of this diagram: the edge goes to its Service
      const headless = drawn.services.find(s => s.type === 'headless');
      const client = drawn.services.find(s => s.type !== 'headless');
      if (target.kind === EndpointKind.MEMBER) {
        return { id: this.fc.idFor(serviceKey(drawn, headless ?? drawn.services[0])), note: `member ${target.ordinal}` };
      }
      return { id: this.fc.idFor(serviceKey(drawn, client ?? drawn.services[0])) };
    }
    const e = target.endpoint;
    const address = Endpoint.urlOf(e.host, e.port, e.scheme);
    switch (target.kind) {
      case EndpointKind.WORKLOAD:
      case EndpointKind.MEMBER: {
        const w = target.workload!;
        const where = `${Chart.of(w).node.id}/${w.node.path.slice(Chart.of(w).node.path.length + 1)}`;
        const what = target.kind === EndpointKind.MEMBER ? `member ${target.ordinal} of ${where}` : where;
        return { id: this.outerNode(`endpoint ${address}`, { label: label([what, address], true), shape: NodeShape.STADIUM, cssClass: 'external' }) };
      }
      case EndpointKind.EXTERNAL_SERVICE: {
        const x = target.external!;
        const behind = x.externalName ?? x.ips.join(', ');
        return {
          id: this.outerNode(`endpoint ${x.serviceName}`, {
            label: label([x.serviceName, 'ExternalService', `→ ${behind}`, `${x.ports.length === 1 ? 'port' : 'ports'} `
              + x.ports.map(p => portText(p.port, p.name, p.protocol ?? 'TCP')).join(', ')], true),
            shape: NodeShape.STADIUM,
            cssClass: 'external',
          }),
        };
      }
      default:
        return { id: this.outerNode(`endpoint ${address}`, { label: label([address]), shape: NodeShape.STADIUM, cssClass: 'external' }) };
    }
  }

  // ---- edges -------------------------------------------------------------------------------------------

  private drawEdges(view: PodView): void {
    const id = (container: string) => this.fc.idFor(containerKey(view, container));

    // init steps, strictly in order, then the app
    const inits = view.containers.filter(c => c.role === ContainerViewRole.INIT);
    inits.forEach((c, i) => {
      const next = i + 1 < inits.length ? inits[i + 1].name : view.mainContainer;
      this.fc.edge(id(c.name), id(next), label(['then']), EdgeStyle.DOTTED);
    });

    // what the Services expose
    for (const s of view.services) {
      for (const p of s.ports) {
        const owner = view.containers.find(c => c.ports.some(x => x.port === p.targetPort));
        if (!owner) continue;
        const text = p.port === p.targetPort ? `port ${p.port}` : `port ${p.port} → ${p.targetPort}`;
        this.fc.edge(this.fc.idFor(serviceKey(view, s)), id(owner.name), label([p.name ? `${text} (${p.name})` : text]));
      }
    }

    // volumes: data flows from a writer into the volume and out to a reader
    for (const c of view.containers) {
      for (const m of c.mounts) this.drawMount(view, c, m);
    }

    // environment from ConfigMaps and Secrets, one edge per container and object
    for (const c of view.containers) {
      const groups = new Map<string, { source: EnvSourceKind; name: string; parts: string[] }>();
      for (const r of c.envRefs) {
        const key = `${r.source}/${r.objectName}`;
        const g = groups.get(key) ?? { source: r.source, name: r.objectName, parts: [] };
        g.parts.push(r.variable === undefined ? 'env: every key' : r.key && r.key !== r.variable ? `env ${r.variable} ← ${r.key}` : `env ${r.variable}`);
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        this.fc.edge(this.objectNode(g.source, g.name), id(c.name), label(g.parts));
      }
    }

    // endpoints the app was connected to
    for (const conn of view.connections) {
      const target = this.endpointNode(this.context.endpoints.classify(conn.endpoint));
      const text = [`env ${conn.envPrefix}_*`, target.note].filter(x => x).join(', ');
      this.fc.edge(id(view.mainContainer), target.id, label([text]));
    }

    // links the patterns make
    for (const pattern of view.patterns) {
      for (const link of patternLinks(pattern, view.mainContainer)) {
        if (!view.containers.some(c => c.name === link.from)) continue;
        const style = link.check ? EdgeStyle.DOTTED : EdgeStyle.SOLID;
        if (link.toContainer !== undefined) {
          if (!view.containers.some(c => c.name === link.toContainer)) continue;
          this.fc.edge(id(link.from), id(link.toContainer), label([link.label]), style);
        } else if (link.endpoint) {
          const target = this.endpointNode(this.context.endpoints.classify(link.endpoint));
          this.fc.edge(id(link.from), target.id, label([[link.label, target.note].filter(x => x).join(', ')]), style);
        }
      }
    }
  }

  private drawMount(view: PodView, c: ContainerView, m: MountView): void {
    const v = view.volumes.find(x => x.name === m.volume);
    if (!v) return;
    const container = this.fc.idFor(containerKey(view, c.name));
    if (v.source === VolumeSourceKind.CONFIG_MAP || v.source === VolumeSourceKind.SECRET) {
      if (v.reference === undefined) return;
      this.fc.edge(this.objectNode(v.source, v.reference), container, label([`files at ${m.path}`]));
      return;
    }
    if (!drawnAsNode(view, v)) return;
    const volume = this.fc.idFor(volumeKey(view, v.name));
    if (m.readOnly) this.fc.edge(volume, container, label([`read-only at ${m.path}`]));
    else this.fc.edge(container, volume, label([`read-write at ${m.path}`]), EdgeStyle.BOTH_WAYS);
  }
}

function podKey(view: PodView): string {
  return `pod ${view.id}`;
}

function containerKey(view: PodView, name: string): string {
  return `${view.id} ${name}`;
}

function volumeKey(view: PodView, name: string): string {
  return `${view.id} volume ${name}`;
}

function serviceKey(view: PodView, s: ServiceView): string {
  const headless = s.type === 'headless';
  const before = view.services.slice(0, view.services.indexOf(s)).filter(x => (x.type === 'headless') === headless).length;
  return `${view.id} ${headless ? 'headless' : 'service'}${before > 0 ? ` ${before + 1}` : ''}`;
}

/**
 * Whether a volume is a node of its own: every volume but a ConfigMap or a
 * Secret (drawn as the object itself) and an emptyDir that only one container
 * mounts (listed in that container).
 */
function drawnAsNode(view: PodView, v: VolumeView): boolean {
  if (v.source === VolumeSourceKind.CONFIG_MAP || v.source === VolumeSourceKind.SECRET) return false;
  const mountedBy = view.containers.filter(c => c.mounts.some(m => m.volume === v.name)).length;
  if (mountedBy === 0) return false;
  return v.source !== VolumeSourceKind.EMPTY_DIR || mountedBy > 1;
}

function roleText(view: PodView, c: ContainerView, inits: ContainerView[]): string {
  switch (c.role) {
    case ContainerViewRole.INIT:
      return `init step ${inits.indexOf(c) + 1} of ${inits.length}`;
    case ContainerViewRole.APP:
      return c.name === view.mainContainer ? 'app container' : 'container';
    case ContainerViewRole.NATIVE_SIDECAR:
      return 'native sidecar: starts first, stops last';
    default:
      return 'sidecar';
  }
}

function portText(port: number, name: string | undefined, protocol: string): string {
  const proto = protocol === 'TCP' ? '' : `/${protocol}`;
  return name ? `${port}${proto} ${name}` : `${port}${proto}`;
}

function volumeLines(v: VolumeView): string[] {
  switch (v.source) {
    case VolumeSourceKind.EMPTY_DIR:
      return [v.name, v.size ? `shared emptyDir, up to ${v.size}` : 'shared emptyDir'];
    case VolumeSourceKind.CLAIM_TEMPLATE:
      return [v.name, v.size ? `volume claim per replica, ${v.size}` : 'volume claim per replica'];
    case VolumeSourceKind.PERSISTENT_VOLUME_CLAIM:
      return [v.name, `PersistentVolumeClaim ${v.reference}`];
    case VolumeSourceKind.HOST_PATH:
      return [v.name, `node path ${v.reference}`];
    default:
      return [v.name, 'volume'];
  }
}
