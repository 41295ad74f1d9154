import * as fs from 'fs';
import { App, Chart, Yaml } from 'cdk8s';
import type * as Rules from './evaluate';
import { PolicyFinding, PolicyRule, PolicySeverity } from './policy-types';
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

/**
 * The findings of every rule. The rules (some twenty modules) load on the
 * first report, with a require rather than an import, so that an app that
 * only synthesizes does not load them.
 */
function evaluate(manifests: any[]): PolicyFinding[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rules: typeof Rules = require('./evaluate');
  return rules.evaluate(manifests);
}
