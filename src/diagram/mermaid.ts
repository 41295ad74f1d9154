/**
 * @internal
 * The shape of a node in a Mermaid flowchart.
 */
export enum NodeShape {
  /** `id["label"]` */
  BOX = 'box',
  /** `id[("label")]`: a volume */
  CYLINDER = 'cylinder',
  /** `id(["label"])`: something outside the Pod that is reached over the network */
  STADIUM = 'stadium',
  /** `id{{"label"}}`: a Service */
  HEXAGON = 'hexagon',
  /** `id[/"label"/]`: a ConfigMap or a Secret */
  PARALLELOGRAM = 'parallelogram',
}

/** @internal the look of an edge. */
export enum EdgeStyle {
  /** `-->` */
  SOLID = 'solid',
  /** `-.->`: an ordering or a check, not a data path */
  DOTTED = 'dotted',
  /** `<-->`: data flows both ways (a read-write mount) */
  BOTH_WAYS = 'both-ways',
}

const ARROWS: Record<EdgeStyle, string> = {
  [EdgeStyle.SOLID]: '-->',
  [EdgeStyle.DOTTED]: '-.->',
  [EdgeStyle.BOTH_WAYS]: '<-->',
};

const OPEN: Record<NodeShape, [string, string]> = {
  [NodeShape.BOX]: ['[', ']'],
  [NodeShape.CYLINDER]: ['[(', ')]'],
  [NodeShape.STADIUM]: ['([', '])'],
  [NodeShape.HEXAGON]: ['{{', '}}'],
  [NodeShape.PARALLELOGRAM]: ['[/', '/]'],
};

/**
 * Characters that Mermaid would read as syntax (or HTML) inside a quoted
 * label, written as Mermaid's entity codes instead.
 */
const ESCAPES: Record<string, string> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
  '\\': '#92;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
};

/**
 * @internal
 * One line of label text, with every character Mermaid could read as syntax
 * or markup escaped, and line breaks and tabs flattened to spaces.
 */
export function escapeText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/["#&<>`|\\[\]{}]/g, c => ESCAPES[c]);
}

/**
 * @internal
 * A label from lines of plain text: each line escaped, the first one in bold
 * when asked, joined with `<br/>`.
 */
export function label(lines: string[], boldFirst = false): string {
  return lines.map((l, i) => (i === 0 && boldFirst ? `<b>${escapeText(l)}</b>` : escapeText(l))).join('<br/>');
}

/** How wide a label may grow before Mermaid wraps it, in pixels. */
const WRAPPING_WIDTH = 480;

/** Words Mermaid's flowchart grammar reserves, which a node id must not be. */
const KEYWORDS = new Set([
  'end', 'graph', 'flowchart', 'flowchart-elk', 'subgraph', 'style', 'linkstyle', 'class', 'classdef', 'click', 'call',
  'href', 'default', 'direction', 'interpolate', 'accdescr', 'acctitle',
]);

interface NodeEntry {
  readonly kind: 'node';
  readonly id: string;
  readonly label: string;
  readonly shape: NodeShape;
}

interface SubgraphEntry {
  readonly kind: 'subgraph';
  readonly id: string;
  readonly title: string;
  readonly entries: Entry[];
}

type Entry = NodeEntry | SubgraphEntry;

/**
 * @internal
 * A Mermaid flowchart, written in the order things are added: subgraphs and
 * nodes first, then edges, then styles. Ids are made from keys, so that the
 * same model gives the same text, and a change to one part of the model
 * changes only the lines of that part.
 */
export class Flowchart {
  private readonly ids = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly top: Entry[] = [];
  private readonly edges: string[] = [];
  private readonly classes = new Map<string, string[]>();
  private readonly classDefs: [string, string][] = [];
  private current: Entry[] = this.top;

  constructor(private readonly direction: string) {}

  /**
   * The node id for `key` (created on first use): letters, digits and '_'
   * only, starting with a letter, never a Mermaid keyword, unique in the chart.
   */
  public idFor(key: string): string {
    const known = this.ids.get(key);
    if (known) return known;
    const plain = key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    const base = /^[A-Za-z]/.test(plain) && !KEYWORDS.has(plain.toLowerCase()) ? plain : `n_${plain}`;
    let id = base;
    for (let i = 2; this.taken.has(id); i++) id = `${base}_${i}`;
    this.taken.add(id);
    this.ids.set(key, id);
    return id;
  }

  /** Whether a node was declared for `key`. */
  public has(key: string): boolean {
    return this.ids.has(key);
  }

  /** Declares a node in the current subgraph (or at the top level); returns its id. */
  public node(key: string, labelHtml: string, shape: NodeShape, cssClass?: string): string {
    const id = this.idFor(key);
    this.current.push({ kind: 'node', id, label: labelHtml, shape });
    if (cssClass) {
      const members = this.classes.get(cssClass) ?? [];
      members.push(id);
      this.classes.set(cssClass, members);
    }
    return id;
  }

  /** Declares a subgraph; nodes declared in `body` belong to it. */
  public subgraph(key: string, titleHtml: string, body: () => void): string {
    const id = this.idFor(key);
    const entry: SubgraphEntry = { kind: 'subgraph', id, title: titleHtml, entries: [] };
    this.current.push(entry);
    const outer = this.current;
    this.current = entry.entries;
    try {
      body();
    } finally {
      this.current = outer;
    }
    return id;
  }

  /** An edge between two declared ids, with an optional label (already escaped). */
  public edge(from: string, to: string, labelHtml?: string, style: EdgeStyle = EdgeStyle.SOLID): void {
    const arrow = ARROWS[style];
    this.edges.push(labelHtml ? `${from} ${arrow}|"${labelHtml}"| ${to}` : `${from} ${arrow} ${to}`);
  }

  /** A style class, e.g. `fill:#fff,stroke:#333`. */
  public classDef(name: string, style: string): void {
    this.classDefs.push([name, style]);
  }

  /** The flowchart's text, one statement a line, ending with a newline. */
  public render(): string {
    // wider labels than Mermaid's 200 pixels, so that image names and paths keep to one line
    const lines = ['---', 'config:', '  flowchart:', `    wrappingWidth: ${WRAPPING_WIDTH}`, '---', `flowchart ${this.direction}`];
    const write = (entries: Entry[], indent: string) => {
      for (const e of entries) {
        if (e.kind === 'node') {
          const [open, close] = OPEN[e.shape];
          lines.push(`${indent}${e.id}${open}"${e.label}"${close}`);
        } else {
          lines.push(`${indent}subgraph ${e.id}["${e.title}"]`);
          write(e.entries, `${indent}  `);
          lines.push(`${indent}end`);
        }
      }
    };
    write(this.top, '  ');
    for (const e of this.edges) lines.push(`  ${e}`);
    for (const [name, style] of this.classDefs) {
      const members = this.classes.get(name);
      if (!members || members.length === 0) continue;
      lines.push(`  classDef ${name} ${style}`);
      lines.push(`  class ${members.join(',')} ${name}`);
    }
    return lines.join('\n') + '\n';
  }
}
