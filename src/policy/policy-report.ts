import * as fs from 'fs';
import { App, Chart, Yaml } from 'cdk8s';

/**
 * A rule of the {@link PolicyReport}. The value is the rule's stable id; it
 * never changes once published, so it can be used to filter findings in CI.
 */
export enum PolicyRule {
  /**
   * The main container of a long-running Pod declares a readiness probe.
   * Without one, a Pod counts as ready as soon as its process starts: Services
   * send it traffic before it can answer, and a rolling update of a broken
   * version carries on.
   *
   * The main container is the one named by the Pod template annotation
   * `kubectl.kubernetes.io/default-container`, else the first entry of
   * `containers`. Sidecars and Jobs are not checked. An ERROR when a Service
   * selects the Pods, else a WARNING.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  READINESS_PROBE = 'main-container-readiness-probe',

  /**
   * Every container (init steps and sidecars included) sets CPU and memory
   * requests and a memory limit, so the scheduler can place the Pod and a
   * leaking container cannot starve its neighbours. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  CONTAINER_RESOURCES = 'container-resources',

  /**
   * A replicated workload (a Deployment or StatefulSet with 2 or more
   * replicas, or scaled by a HorizontalPodAutoscaler to 2 or more) has a
   * PodDisruptionBudget that selects its Pods, so a node drain cannot take
   * all of them down at once. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
   */
  DISRUPTION_BUDGET = 'replicated-disruption-budget',

  /**
   * A replicated workload spreads its Pods over nodes: a topology spread
   * constraint or a pod anti-affinity term that selects its own Pods.
   * Otherwise the replicas may all land on one node, which then is a single
   * point of failure. A WARNING, since the kube-scheduler's default topology
   * spreading already prefers (without requiring) to spread them.
   *
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
   */
  SPREAD = 'replicated-spread',

  /**
   * Every container image is pinned to a version tag other than `latest`, or
   * to a digest, so that every node runs the same code. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
   */
  PINNED_IMAGE = 'container-image-pinned',

  /**
   * A Pod mounts a service account token only when it names its service
   * account explicitly (`serviceAccountName` other than `default`); otherwise
   * it sets `automountServiceAccountToken: false`. An ERROR.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
   */
  SERVICE_ACCOUNT_TOKEN = 'service-account-token',

  /**
   * No environment variable whose name looks like a secret (it contains
   * PASSWORD, PASSWD, SECRET or TOKEN, or has a name segment ending in KEY
   * such as API_KEY) carries a literal, non-empty `value`; such values belong
   * in a Secret, referenced with `valueFrom.secretKeyRef`. Names whose last
   * segment (split at '_', '-' and '.') is FILE, PATH or DIR hold a location,
   * not the secret, and are not flagged. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
   */
  PLAINTEXT_SECRET_ENV = 'env-plaintext-secret',
}

/**
 * How serious a finding is.
 */
export enum PolicySeverity {
  /** The output is unsafe or unreliable as it stands; fix it before applying. */
  ERROR = 'error',
  /** A weakness worth fixing, which Kubernetes partly makes up for. */
  WARNING = 'warning',
}

/**
 * One finding of a {@link PolicyReport}.
 */
export interface PolicyFinding {
  /**
   * The object the finding is about: `Kind/name`, or `Kind/namespace/name`
   * when the object sets a namespace.
   */
  readonly object: string;

  /**
   * The container the finding is about.
   * @default - the finding is about the object as a whole
   */
  readonly container?: string;

  /** The rule that found it. */
  readonly rule: PolicyRule;

  /** How serious it is. */
  readonly severity: PolicySeverity;

  /** What is wrong, and how to fix it. */
  readonly message: string;
}

/**
 * Checks synthesized manifests against reliability and security rules
 * (see {@link PolicyRule}), in the spirit of kube-score.
 *
 * It reads the rendered objects only, so it works the same for the output
 * of this library, of plain cdk8s, or of any YAML file. Findings come in a
 * stable order: by object (in manifest order), then rule, then container.
 *
 * To gate a pipeline, build the report after the app is defined (e.g.
 * `PolicyReport.fromApp(app)` just before `app.synth()`) and fail when
 * `errors` is not empty, printing `format()`.
 */
export class PolicyReport {
  /**
   * The Pod template annotation that names a Pod's main container
   * (Kubernetes' own convention: `kubectl logs` and `kubectl exec` default to
   * this container). Without it, the first entry of `containers` is the main
   * container.
   */
  public static readonly DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

  /** Checks every object a chart renders. */
  public static fromChart(chart: Chart): PolicyReport {
    return new PolicyReport(chart.toJson());
  }

  /** Checks every object of every chart of an app. */
  public static fromApp(app: App): PolicyReport {
    return new PolicyReport(app.charts.flatMap(c => c.toJson()));
  }

  /**
   * Checks the objects of a (multi-document) YAML file, e.g. a file that
   * `cdk8s synth` wrote.
   *
   * @param file path of the YAML file
   */
  public static fromYamlFile(file: string): PolicyReport {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new Error(`PolicyReport.fromYamlFile: ${JSON.stringify(file)} is not a file. Fix: pass the path of a YAML file, `
        + 'e.g. one that `cdk8s synth` wrote to dist/.');
    }
    return new PolicyReport(Yaml.load(file));
  }

  /** Every finding, in a stable order. */
  public readonly findings: PolicyFinding[];

  private constructor(manifests: any[]) {
    this.findings = evaluate(manifests.filter(m => m && typeof m === 'object'));
  }

  /** The findings of severity ERROR. */
  public get errors(): PolicyFinding[] {
    return this.findings.filter(f => f.severity === PolicySeverity.ERROR);
  }

  /** The findings of severity WARNING. */
  public get warnings(): PolicyFinding[] {
    return this.findings.filter(f => f.severity === PolicySeverity.WARNING);
  }

  /**
   * The findings as text, one line each:
   * `ERROR [container-resources] Deployment/web (container app): ...`.
   * Empty when there are none.
   */
  public format(): string {
    return this.findings.map(f =>
      `${f.severity.toUpperCase()} [${f.rule}] ${f.object}${f.container ? ` (container ${f.container})` : ''}: ${f.message}`,
    ).join('\n');
  }
}

// ---------------------------------------------------------------------------
// evaluation (internal)

const RULE_ORDER = Object.values(PolicyRule);

/** Kinds with a Pod template, and where it lives. */
function podTemplateOf(obj: any): { metadata?: any; spec?: any } | undefined {
  switch (obj.kind) {
    case 'Pod': return { metadata: obj.metadata, spec: obj.spec };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return obj.spec?.template;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template;
    default: return undefined;
  }
}

const LONG_RUNNING = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function idOf(obj: any): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata?.name}` : `${obj.kind}/${obj.metadata?.name}`;
}

function sameNamespace(a: any, b: any): boolean {
  return (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

/**
 * True when a label selector (matchLabels / matchExpressions) selects a
 * set of labels. An absent selector selects nothing; an empty one everything.
 */
function selects(selector: any, labels: Record<string, string>): boolean {
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
function serviceSelects(service: any, labels: Record<string, string>): boolean {
  const sel = service.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

interface ContainerRef { readonly c: any; readonly kind: string }

function containersOf(spec: any): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const c of spec?.initContainers ?? []) out.push({ c, kind: c?.restartPolicy === 'Always' ? 'sidecar' : 'init container' });
  for (const c of spec?.containers ?? []) out.push({ c, kind: 'container' });
  return out.filter(x => x.c && typeof x.c === 'object');
}

function mainContainerOf(template: any): any {
  const containers: any[] = template?.spec?.containers ?? [];
  const named = template?.metadata?.annotations?.[PolicyReport.DEFAULT_CONTAINER_ANNOTATION];
  return (named && containers.find(c => c?.name === named)) || containers[0];
}

/** The tag of an image reference, '' when it has none; undefined when pinned by digest. */
function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  return lastColon > lastSlash ? image.slice(lastColon + 1) : '';
}

/** True when an env var name looks like it holds a secret. */
function looksSecret(name: string): boolean {
  const segments = name.toUpperCase().split(/[_.-]+/).filter(Boolean);
  if (segments.length === 0) return false;
  if (['FILE', 'PATH', 'DIR'].includes(segments[segments.length - 1])) return false;
  if (/PASSWORD|PASSWD|SECRET|TOKEN/.test(name.toUpperCase())) return true;
  return segments.some(s => s.endsWith('KEY'));
}

/** The number of replicas a workload may run: `replicas`, or the most an HPA scales it to. */
function maxReplicas(obj: any, hpas: any[]): { replicas: number; hpa?: any } {
  const hpa = hpas.find(h => sameNamespace(h, obj)
    && h.spec?.scaleTargetRef?.kind === obj.kind && h.spec?.scaleTargetRef?.name === obj.metadata?.name);
  if (hpa) return { replicas: Number(hpa.spec?.maxReplicas ?? 0), hpa };
  return { replicas: obj.spec?.replicas === undefined ? 1 : Number(obj.spec.replicas) };
}

function spreadsItself(spec: any, labels: Record<string, string>): boolean {
  if ((spec?.topologySpreadConstraints ?? []).some((t: any) => selects(t?.labelSelector, labels))) return true;
  const anti = spec?.affinity?.podAntiAffinity;
  if (!anti) return false;
  const required: any[] = anti.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const preferred: any[] = anti.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return required.some(t => selects(t?.labelSelector, labels))
    || preferred.some(t => selects(t?.podAffinityTerm?.labelSelector, labels));
}

function evaluate(manifests: any[]): PolicyFinding[] {
  const services = manifests.filter(m => m.kind === 'Service');
  const pdbs = manifests.filter(m => m.kind === 'PodDisruptionBudget');
  const hpas = manifests.filter(m => m.kind === 'HorizontalPodAutoscaler');
  const findings: PolicyFinding[] = [];

  for (const obj of manifests) {
    const template = podTemplateOf(obj);
    if (!template) continue;
    const object = idOf(obj);
    const spec = template.spec ?? {};
    const labels: Record<string, string> = template.metadata?.labels ?? {};
    const own: PolicyFinding[] = [];
    const add = (rule: PolicyRule, severity: PolicySeverity, message: string, container?: string) =>
      own.push({ object, container, rule, severity, message });
    const containers = containersOf(spec);

    // readiness probe on the main container of long-running Pods
    const main = mainContainerOf(template);
    if (LONG_RUNNING.has(obj.kind) && main && !main.readinessProbe) {
      const service = services.find(s => sameNamespace(s, obj) && serviceSelects(s, labels));
      if (service) {
        add(PolicyRule.READINESS_PROBE, PolicySeverity.ERROR,
          `main container "${main.name}" has no readiness probe, yet Service "${service.metadata?.name}" sends traffic to its Pods; `
          + 'they receive requests as soon as the process starts, before the app can answer. '
          + 'Fix: give the main container a readiness probe (e.g. readiness: Probe.fromHttpGet("/ready")).', main.name);
      } else {
        add(PolicyRule.READINESS_PROBE, PolicySeverity.WARNING,
          `main container "${main.name}" has no readiness probe, so its Pods count as ready as soon as the process starts and a `
          + 'rolling update of a broken version carries on. Fix: give the main container a readiness probe '
          + '(e.g. readiness: Probe.fromHttpGet("/ready") or Probe.fromCommand([...])).', main.name);
      }
    }

    // resources of every container
    for (const { c, kind } of containers) {
      const r = c.resources ?? {};
      const missing = [
        ...(r.requests?.cpu === undefined ? ['requests.cpu'] : []),
        ...(r.requests?.memory === undefined ? ['requests.memory'] : []),
        ...(r.limits?.memory === undefined ? ['limits.memory'] : []),
      ];
      if (missing.length > 0) {
        add(PolicyRule.CONTAINER_RESOURCES, PolicySeverity.ERROR,
          `${kind} "${c.name}" sets no ${missing.join(', ')}; without requests the scheduler cannot place the Pod `
          + 'reliably, and without a memory limit a leak starves the other containers of the node. '
          + 'Fix: set resources: { cpu: { request }, memory: { request, limit } } on the container.', c.name);
      }
    }

    // replicated workloads: disruption budget and spread
    if (REPLICATED.has(obj.kind)) {
      const { replicas, hpa } = maxReplicas(obj, hpas);
      if (replicas >= 2) {
        const why = hpa
          ? `HorizontalPodAutoscaler "${hpa.metadata?.name}" scales it to ${replicas} replicas`
          : `it runs ${replicas} replicas`;
        if (!pdbs.some(p => sameNamespace(p, obj) && selects(p.spec?.selector, labels))) {
          add(PolicyRule.DISRUPTION_BUDGET, PolicySeverity.ERROR,
            `${why}, but no PodDisruptionBudget selects its Pods, so a node drain or cluster upgrade may evict all of them at once. `
            + 'Fix: add a PodDisruptionBudget whose selector matches the Pod labels (e.g. maxUnavailable: 1).');
        }
        if (!spreadsItself(spec, labels)) {
          add(PolicyRule.SPREAD, PolicySeverity.WARNING,
            `${why}, but neither a topology spread constraint nor a pod anti-affinity term selects its own Pods, so the scheduler `
            + 'may put every replica on one node. Fix: add a topologySpreadConstraint or a preferred pod anti-affinity on '
            + 'kubernetes.io/hostname whose labelSelector matches the Pod labels.');
        }
      }
    }

    // pinned images
    for (const { c, kind } of containers) {
      const image = typeof c.image === 'string' ? c.image : '';
      const tag = imageTag(image);
      if (!image) {
        add(PolicyRule.PINNED_IMAGE, PolicySeverity.ERROR,
          `${kind} "${c.name}" names no image. Fix: set image to a reference pinned to a version, e.g. "nginx:1.27.2".`, c.name);
      } else if (tag === '' || tag === 'latest') {
        add(PolicyRule.PINNED_IMAGE, PolicySeverity.ERROR,
          `${kind} "${c.name}" runs image "${image}", which ${tag === '' ? 'has no tag' : 'uses the "latest" tag'}, so `
          + 'nodes may run different code and a rollback cannot return to the old version. '
          + 'Fix: pin a version tag (e.g. ":1.2.3") or a digest ("@sha256:...").', c.name);
      }
    }

    // service account token
    const account = spec.serviceAccountName ?? spec.serviceAccount;
    if (spec.automountServiceAccountToken !== false && (!account || account === 'default')) {
      add(PolicyRule.SERVICE_ACCOUNT_TOKEN, PolicySeverity.ERROR,
        `the Pod mounts a service account token (automountServiceAccountToken is ${spec.automountServiceAccountToken === true ? 'true' : 'unset, so true'}) `
        + 'but names no service account of its own, so every container gets API credentials of the namespace\'s default '
        + 'account without needing them. Fix: set automountServiceAccountToken: false, or run as a dedicated service account.');
    }

    // plaintext secrets in env
    for (const { c, kind } of containers) {
      for (const e of c.env ?? []) {
        if (e && typeof e.name === 'string' && typeof e.value === 'string' && e.value !== '' && looksSecret(e.name)) {
          add(PolicyRule.PLAINTEXT_SECRET_ENV, PolicySeverity.ERROR,
            `${kind} "${c.name}" sets env var ${e.name} to a literal value; a secret written into the manifest ends up `
            + 'in Git and in every reader of the object. Fix: store it in a Secret and reference it '
            + '(valueFrom.secretKeyRef, e.g. EnvValue.fromSecretValue(...)).', c.name);
        }
      }
    }

    own.sort((a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
    findings.push(...own);
  }
  return findings;
}
