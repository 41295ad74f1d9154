import { IConstruct } from 'constructs';

/**
 * The one error type the library throws for bad input.
 *
 * The message starts with the construct path, so that a failure in a large
 * app points at the object that caused it:
 * `[app/web] replicas must be >= 0 (got -1). Fix: ...`
 * Every error raised while a pattern attaches to a workload carries the path
 * of the pattern's scope (`[app/web/log-collector] ...`). A pattern's own
 * constructor runs before it belongs to any workload, so its errors name the
 * pattern instead (`[LogCollector "logs"] ...`).
 *
 * Not exported from the package entry point (jsii cannot export Error
 * subclasses); catch it as a plain `Error`.
 */
export class ValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'ValidationError';
  }
}

/** Quote a value for an error message, the way it was received. */
export function got(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * @internal
 * A stand-in scope for errors raised outside the construct tree, e.g. in a
 * pattern's constructor, before it belongs to a workload: the "path" names the
 * class and, when given, the instance (`LogCollector "logs"`).
 */
export function standInScope(what: string, name?: string): IConstruct {
  const path = name === undefined ? what : `${what} "${name}"`;
  return { node: { path } } as unknown as IConstruct;
}
