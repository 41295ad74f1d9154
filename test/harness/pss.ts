/**
 * A Pod Security Standards "restricted" check over synthesized manifests,
 * written against the published profile (baseline + restricted controls).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * The one exception it knows: a node agent's read-only hostPath volumes. They
 * pass only when the workload declares them in the annotation
 * `container-patterns.cdk8s.io/host-paths` (comma-separated paths), the
 * volume's path is listed there, and every mount of it is read-only.
 */

export const HOST_PATHS_ANNOTATION = 'container-patterns.cdk8s.io/host-paths';

export interface PssViolation {
  readonly object: string;
  readonly control: string;
  readonly detail: string;
}

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Where the Pod template lives in each workload kind. */
export function podTemplateOf(obj: any): { metadata: any; spec: any } | undefined {
  switch (obj?.kind) {
    case 'Pod': return { metadata: obj.metadata ?? {}, spec: obj.spec };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return obj.spec?.template;
    case 'CronJob': return obj.spec?.jobTemplate?.spec?.template;
    default: return undefined;
  }
}

function capName(c: string): string {
  return c.replace(/^CAP_/, '');
}

/** Checks every Pod (template) in `manifests`; returns the violations. */
export function checkRestricted(manifests: any[]): PssViolation[] {
  const out: PssViolation[] = [];
  for (const obj of manifests) {
    const tpl = podTemplateOf(obj);
    if (!tpl) continue;
    const id = `${obj.kind}/${obj.metadata?.name}`;
    const v = (control: string, detail: string) => out.push({ object: id, control, detail });
    const spec = tpl.spec ?? {};
    const podSc = spec.securityContext ?? {};
    const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
    const declaredHostPaths = new Set(String(obj.metadata?.annotations?.[HOST_PATHS_ANNOTATION] ?? '')
      .split(',').map(s => s.trim()).filter(Boolean));

    // baseline: host namespaces
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[f] === true) v('Host Namespaces', `${f} is true`);
    }
    // baseline: host ports, privileged, capabilities, /proc mount, seLinux, appArmor
    for (const c of containers) {
      const sc = c.securityContext ?? {};
      for (const p of c.ports ?? []) {
        if (p.hostPort !== undefined && p.hostPort !== 0) v('Host Ports', `container ${c.name} uses hostPort ${p.hostPort}`);
      }
      if (sc.privileged === true) v('Privileged Containers', `container ${c.name} is privileged`);
      for (const add of sc.capabilities?.add ?? []) {
        if (!BASELINE_CAPS.has(capName(add))) v('Capabilities (baseline)', `container ${c.name} adds ${add}`);
        if (capName(add) !== 'NET_BIND_SERVICE') v('Capabilities (restricted)', `container ${c.name} adds ${add}; only NET_BIND_SERVICE may be added`);
      }
      if (!(sc.capabilities?.drop ?? []).map(capName).includes('ALL')) {
        v('Capabilities (restricted)', `container ${c.name} does not drop ALL capabilities`);
      }
      if (sc.procMount !== undefined && sc.procMount !== 'Default') v('/proc Mount Type', `container ${c.name} uses procMount ${sc.procMount}`);
      // restricted: privilege escalation must be explicitly disallowed
      if (sc.allowPrivilegeEscalation !== false) {
        v('Privilege Escalation', `container ${c.name} does not set allowPrivilegeEscalation: false`);
      }
      // restricted: non-root
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRoot !== true) v('Running as Non-root', `container ${c.name} does not set runAsNonRoot: true (nor does the Pod)`);
      if (sc.runAsUser === 0) v('Running as Non-root user', `container ${c.name} sets runAsUser: 0`);
      // restricted: seccomp
      const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        v('Seccomp', `container ${c.name} has seccomp profile ${seccomp ?? '(none)'}; RuntimeDefault or Localhost is required`);
      }
      if (sc.seccompProfile?.type === 'Unconfined') v('Seccomp', `container ${c.name} sets seccompProfile Unconfined`);
      checkSeLinux(sc.seLinuxOptions, `container ${c.name}`, v);
      if (sc.appArmorProfile?.type === 'Unconfined') v('AppArmor', `container ${c.name} sets appArmorProfile Unconfined`);
    }
    if (podSc.runAsUser === 0) v('Running as Non-root user', 'the Pod sets runAsUser: 0');
    if (podSc.seccompProfile?.type === 'Unconfined') v('Seccomp', 'the Pod sets seccompProfile Unconfined');
    checkSeLinux(podSc.seLinuxOptions, 'the Pod', v);
    for (const s of podSc.sysctls ?? []) {
      if (!SAFE_SYSCTLS.has(s.name)) v('Sysctls', `the Pod sets unsafe sysctl ${s.name}`);
    }
    for (const [k, val] of Object.entries(tpl.metadata?.annotations ?? {})) {
      if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && val !== 'runtime/default' && !String(val).startsWith('localhost/')) {
        v('AppArmor', `annotation ${k}: ${val}`);
      }
    }

    // restricted: volume types (hostPath only as a declared, read-only node-agent exception)
    for (const vol of spec.volumes ?? []) {
      const type = Object.keys(vol).find(k => k !== 'name');
      if (type && ALLOWED_VOLUME_TYPES.includes(type)) continue;
      if (type === 'hostPath' && obj.kind === 'DaemonSet' && declaredHostPaths.has(vol.hostPath?.path)) {
        const mounts = containers.flatMap(c => (c.volumeMounts ?? []).filter((m: any) => m.name === vol.name).map((m: any) => ({ c, m })));
        const writable = mounts.filter(({ m }) => m.readOnly !== true);
        if (writable.length > 0) {
          v('Volume Types', `declared hostPath ${vol.hostPath.path} is mounted writable by ${writable.map(({ c }) => c.name).join(', ')}`);
        }
        continue;
      }
      v('Volume Types', `volume ${vol.name} has type ${type}${type === 'hostPath' ? ` (${vol.hostPath?.path}, not declared in ${HOST_PATHS_ANNOTATION})` : ''}`);
    }
  }
  return out;
}

function checkSeLinux(opts: any, where: string, v: (c: string, d: string) => void): void {
  if (!opts) return;
  if (opts.type !== undefined && !['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(opts.type)) {
    v('SELinux', `${where} sets seLinuxOptions.type ${opts.type}`);
  }
  if (opts.user) v('SELinux', `${where} sets seLinuxOptions.user`);
  if (opts.role) v('SELinux', `${where} sets seLinuxOptions.role`);
}
