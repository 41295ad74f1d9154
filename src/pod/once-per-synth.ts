import { App } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';

/**
 * One call of `App.synth()` or `App.synthYaml()` in progress. A new object for
 * every call, so that results kept from an earlier call never match.
 */
type SynthCall = object;

/** The call of `synth`/`synthYaml` each App is in, if any. */
const currentCall = new WeakMap<App, SynthCall>();
/** The Apps whose `synth` and `synthYaml` are wrapped. */
const trackedApps = new WeakSet<App>();

/**
 * Makes `app` note when one of its `synth` or `synthYaml` calls is running.
 * It wraps the instance's own methods (a subclass's override included), once.
 */
function trackSynthCalls(app: App): void {
  if (trackedApps.has(app)) return;
  trackedApps.add(app);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = app[method] as (...args: unknown[]) => unknown;
    if (typeof original !== 'function') continue;
    (app as any)[method] = function (this: App, ...args: unknown[]): unknown {
      const outer = currentCall.get(app);
      currentCall.set(app, {});
      try {
        return original.apply(this, args);
      } finally {
        if (outer) currentCall.set(app, outer);
        else currentCall.delete(app);
      }
    };
  }
}

/**
 * @internal
 * A validation that computes its findings at most once per `App.synth()`.
 *
 * cdk8s validates the whole app when `synth()` (or `synthYaml()`) starts,
 * and again before it renders each chart. Between those passes only cdk8s
 * runs, and the rendering of the charts before: no statement of the app's
 * program. The findings of the first pass of a call are kept and returned by
 * the later passes of the same call. Every other validation computes afresh:
 * the first pass of every `synth()`, a pass of `Testing.synth(chart)` or
 * `chart.toJson()`, and any pass of an app whose root is not a cdk8s `App`.
 * So a change between two synths is always seen.
 */
export class OncePerSynthValidation implements IValidation {
  private readonly app?: App;
  private keptFrom?: SynthCall;
  private kept?: readonly string[];

  constructor(scope: IConstruct, private readonly compute: () => string[]) {
    const root = scope.node.root;
    if (root instanceof App) {
      this.app = root;
      trackSynthCalls(root);
    }
  }

  public validate(): string[] {
    const call = this.app && currentCall.get(this.app);
    if (call && this.kept && call === this.keptFrom) return [...this.kept];
    const findings = this.compute();
    this.keptFrom = call;
    this.kept = findings;
    return [...findings];
  }
}
