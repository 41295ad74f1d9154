import { IConstruct } from 'constructs';

/**
 * The one error type the library throws for bad input.
 *
 * Every message has one shape: `[subject] problem (got value). Fix: ...`.
 * The subject is where the value was given:
 * - the construct path, for anything in the construct tree (`[app/web]`,
 *   `[app/web/log-collector]` for an error raised while a pattern attaches);
 * - the pattern and its name, for a pattern's constructor, which runs before
 *   the pattern belongs to a workload (`[LogCollector "logs"]`);
 * - the factory, for static factories outside the tree (`[Endpoint.of]`).
 *
 * Not exported from the package entry point (jsii cannot export Error
 * subclasses); catch it as a plain `Error`.
 */
export class ValidationError extends Error {
  /**
   * Describes a pattern that does not belong to a workload yet, as the
   * subject of its errors: `LogCollector "logs"`.
   */
  public static patternSubject(kind: string, name: string): string {
    return `${kind} "${name}"`;
  }

  /** The construct path, or the pattern or factory the value was given to. */
  public readonly subject: string;

  /** The message without its subject: the problem, the value received and the fix. */
  public readonly detail: string;

  /**
   * @param scope the construct the bad value was given to, or (outside the
   * construct tree) a subject such as `ValidationError.patternSubject(...)` or `"Endpoint.of"`
   * @param detail the problem, the value received (see `got`) and a `Fix: ...` sentence
   */
  constructor(scope: IConstruct | string, detail: string) {
    const subject = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${subject}] ${detail}`);
    this.name = 'ValidationError';
    this.subject = subject;
    this.detail = detail;
  }

  /** The same problem, placed at `scope` (a pattern's error raised while it attaches to a workload). */
  public at(scope: IConstruct): ValidationError {
    return new ValidationError(scope, this.detail);
  }
}

/**
 * Quote a value for an error message, the way it was received. Numbers that
 * JSON cannot show (NaN, Infinity) are written as such, not as `null`.
 */
export function got(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    return String(value);
  }
}
