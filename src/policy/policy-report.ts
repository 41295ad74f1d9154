import * as fs from 'fs';
import { App, Chart, Yaml } from 'cdk8s';
import { containersOf, idOf, podTemplateOf } from './manifests';
import { PolicyFinding, PolicyRule, PolicySeverity } from './policy-types';
import { CHECKS } from './rules/all-rules';
import { got, ValidationError } from '../pod/validation-error';

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
      throw new ValidationError('PolicyReport.fromYamlFile', `${got(file)} is not a file. Fix: pass the path of a YAML file, `
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

const RULE_ORDER = Object.values(PolicyRule);

/** Runs every rule over every object with a Pod template; findings per object, in rule order. */
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
    const own: PolicyFinding[] = [];
    const ctx = {
      obj,
      template,
      spec,
      services,
      pdbs,
      hpas,
      labels: template.metadata?.labels ?? {},
      containers: containersOf(spec),
      add: (rule: PolicyRule, severity: PolicySeverity, message: string, container?: string) =>
        own.push({ object, container, rule, severity, message }),
    };
    for (const check of CHECKS) check(ctx);
    own.sort((a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
    findings.push(...own);
  }
  return findings;
}
