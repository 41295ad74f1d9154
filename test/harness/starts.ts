/**
 * A "starts as written" check over synthesized manifests: what a kubelet
 * would refuse, or what an image would crash on, though the YAML is valid.
 *
 * - every container has a numeric user (its own or the Pod's), or runs as root
 *   by an explicit opt-in (`runAsUser: 0` with `runAsNonRoot: false`);
 * - an image known to write to fixed directories, under a read-only root
 *   filesystem, has a writable mount (a volume) at or above each of them;
 * - a non-root container declaring a port below 1024 comes with the Pod sysctl
 *   `net.ipv4.ip_unprivileged_port_start` at or below that port;
 * - no main container carries cdk8s-plus's silent default of 1 CPU / 512Mi
 *   requested (1500m / 2Gi limit).
 */
import { podTemplateOf } from './pss';

export interface StartViolation {
  readonly object: string;
  readonly container: string;
  readonly check: 'user' | 'writable-paths' | 'privileged-port' | 'default-resources';
  readonly detail: string;
}

/**
 * Images (repository name, without registry and tag) known to write to fixed
 * directories at start, with those directories. Built from each image's
 * documentation and Dockerfile.
 */
export const KNOWN_WRITERS: ReadonlyArray<{ readonly image: string; readonly paths: readonly string[] }> = [
  { image: 'tomcat', paths: ['/usr/local/tomcat/logs', '/usr/local/tomcat/work', '/usr/local/tomcat/temp'] },
  { image: 'nginx', paths: ['/var/cache/nginx', '/var/run'] },
  { image: 'httpd', paths: ['/usr/local/apache2/logs'] },
  { image: 'mysql', paths: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'] },
  { image: 'wordpress', paths: ['/var/www/html', '/tmp'] },
];

/** The repository name of an image reference: "docker.io/library/nginx:1.7.9" -> "nginx". */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const last = noDigest.slice(lastSlash + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(0, colon) : last;
}

function under(path: string, mount: string): boolean {
  const m = mount.endsWith('/') ? mount.slice(0, -1) : mount;
  return path === m || path.startsWith(`${m}/`);
}

function objectId(obj: any): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind}/${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/** The violations of "starts as written" in `manifests`. */
export function checkStarts(manifests: any[]): StartViolation[] {
  const out: StartViolation[] = [];
  for (const obj of manifests) {
    const template = podTemplateOf(obj);
    if (!template?.spec) continue;
    const spec = template.spec;
    const pod = spec.securityContext ?? {};
    const sysctl = (pod.sysctls ?? []).find((s: any) => s.name === 'net.ipv4.ip_unprivileged_port_start');
    const portStart = sysctl ? Number(sysctl.value) : 1024;
    const mainName = template.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? spec.containers?.[0]?.name;
    const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const c of containers) {
      const add = (check: StartViolation['check'], detail: string) => out.push({ object: objectId(obj), container: c.name, check, detail });
      const sc = c.securityContext ?? {};
      const user = sc.runAsUser ?? pod.runAsUser;
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const root = user === 0 && nonRoot === false;
      if (!root && (typeof user !== 'number' || user === 0)) {
        add('user', `image ${c.image} has no numeric user (runAsUser ${user === undefined ? 'unset' : user}) and no root opt-in`);
      }
      const readOnlyRoot = (sc.readOnlyRootFilesystem ?? false) === true;
      const known = KNOWN_WRITERS.find(w => w.image === imageName(String(c.image ?? '')));
      if (readOnlyRoot && known) {
        const mounts: string[] = (c.volumeMounts ?? []).filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
        for (const p of known.paths) {
          if (!mounts.some(m => under(p, m))) add('writable-paths', `image ${c.image} writes ${p}, which is on the read-only root filesystem`);
        }
      }
      if (!root) {
        for (const p of c.ports ?? []) {
          if (p.containerPort < portStart) {
            add('privileged-port', `non-root container declares port ${p.containerPort}, below net.ipv4.ip_unprivileged_port_start ${portStart}`);
          }
        }
      }
      const r = c.resources ?? {};
      if (c.name === mainName && spec.containers?.includes(c) && r.requests?.cpu === '1000m' && r.requests?.memory === '512Mi'
        && r.limits?.cpu === '1500m' && r.limits?.memory === '2048Mi') {
        add('default-resources', 'main container carries cdk8s-plus\'s default resources (1000m / 512Mi requested, 1500m / 2048Mi limit)');
      }
    }
  }
  return out;
}
