/**
 * Taking a pattern's rendered configuration and command line out of
 * synthesized manifests, so that the real program runs exactly what a Pod
 * would run, bar the explicit substitutions a test makes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { podSpec } from '../../util';

/** The one ConfigMap whose name contains `namePart`, and its file `key`. */
export function configMapFile(manifests: any[], namePart: string, key: string): string {
  const found = manifests.filter(m => m.kind === 'ConfigMap' && m.metadata?.name?.includes(namePart));
  if (found.length !== 1) throw new Error(`expected one ConfigMap named *${namePart}*, found ${found.length}`);
  const content = found[0].data?.[key];
  if (typeof content !== 'string') throw new Error(`ConfigMap ${found[0].metadata.name} has no key ${key}`);
  return content;
}

/** The command line (command + args) of a container of the one workload in `manifests`. */
export function commandLine(manifests: any[], containerName: string): string[] {
  const workloads = manifests.filter(m => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(m.kind));
  if (workloads.length !== 1) throw new Error(`expected one workload, found ${workloads.length}`);
  const spec = podSpec(workloads[0]);
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === containerName);
  if (!c) throw new Error(`no container named ${containerName}`);
  return [...(c.command ?? []), ...(c.args ?? [])];
}

/** A substitution of the rendered text for running outside a Pod. */
export interface Substitution {
  /** Why it must differ outside a Pod. */
  readonly reason: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Applies each substitution to every occurrence of `from`; fails when one
 * matches nothing, so a test never silently runs an unmodified file.
 */
export function substitute(text: string, substitutions: Substitution[]): string {
  let out = text;
  for (const s of substitutions) {
    if (!out.includes(s.from)) throw new Error(`substitution (${s.reason}) found no ${JSON.stringify(s.from)} in:\n${out}`);
    out = out.split(s.from).join(s.to);
  }
  return out;
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
