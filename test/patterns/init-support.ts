import { spawnSync } from 'child_process';
import * as kplus from 'cdk8s-plus-27';
import { newChart, only, podSpec, synth } from '../util';

export const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
export const TOMCAT: kplus.ContainerProps = { image: 'tomcat:10.1.30-jre21', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
export const WAR = { artifactImage: 'registry.example.com/sample-war:1.0.0', sourcePath: '/artifacts/sample.war', targetPath: '/usr/local/tomcat/webapps' };

export function deploymentSpec(chart: ReturnType<typeof newChart>): any {
  return podSpec(only(synth(chart), 'Deployment'));
}

export function container(spec: any, name: string): any {
  const found = [...(spec.initContainers ?? []), ...spec.containers].filter((c: any) => c.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Runs a rendered `sh -c` command under the local POSIX shell. */
export function runShell(command: string[], args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  expect(command.slice(0, 2)).toEqual(['sh', '-c']);
  const r = spawnSync('sh', ['-c', command[2], ...command.slice(3), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

