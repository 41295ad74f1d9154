import { getIn, updateIn, withKey } from './json-edit';
import { sortKeysDeep } from './key-order';
import { RenderInput, RenderStep } from './render-step';
import { lowestLowPort, UNPRIVILEGED_PORT_SYSCTL } from '../unprivileged-ports';

/** The Pod-level seccomp profile every Pod gets (PSS "restricted"). */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' };

/** Applies `update` to the Pod spec of the rendered object, if it has one. */
function updatePodSpec(obj: any, input: RenderInput, update: (spec: any) => any): any {
  if (!getIn(obj, [...input.templatePath, 'spec'])) return obj;
  return updateIn(obj, [...input.templatePath, 'spec'], update);
}

/**
 * Native sidecars: the sidecar containers move first among the init
 * containers, with `restartPolicy: Always` (a field the 1.27 schema of
 * cdk8s-plus-27 drops) and their probes (which cdk8s-plus-27 refuses on init
 * containers).
 */
export const NATIVE_SIDECARS: RenderStep = {
  name: 'native-sidecars',
  apply(obj, input) {
    if (input.nativeSidecars.size === 0) return obj;
    return updatePodSpec(obj, input, spec => {
      const inits: any[] = spec.initContainers ?? [];
      const sidecars = inits.filter(c => input.nativeSidecars.has(c.name)).map(c => {
        let out = withKey(c, 'restartPolicy', 'Always');
        const probes: any = input.nativeSidecarProbes.get(c.name) ?? {};
        for (const key of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          if (probes[key] !== undefined) out = withKey(out, key, probes[key]);
        }
        return out;
      });
      const steps = inits.filter(c => !input.nativeSidecars.has(c.name));
      return withKey(spec, 'initContainers', [...sidecars, ...steps]);
    });
  },
};

/** Mounts of per-replica claims, which are not Pod volumes and so unknown to cdk8s-plus-27. */
export const CLAIM_MOUNTS: RenderStep = {
  name: 'claim-mounts',
  apply(obj, input) {
    if (input.claimMounts.length === 0) return obj;
    return updatePodSpec(obj, input, spec => {
      const addMounts = (c: any) => {
        const mounts = input.claimMounts.filter(m => m.containerName === c.name);
        if (mounts.length === 0) return c;
        return withKey(c, 'volumeMounts', [...(c.volumeMounts ?? []), ...mounts.map(m => ({
          mountPath: m.path,
          name: m.claimName,
          ...(m.readOnly ? { readOnly: true } : {}),
          ...(m.subPath ? { subPath: m.subPath } : {}),
        }))]);
      };
      let out = withKey(spec, 'containers', (spec.containers ?? []).map(addMounts));
      if (spec.initContainers) out = withKey(out, 'initContainers', spec.initContainers.map(addMounts));
      return out;
    });
  },
};

/**
 * Pod Security Standards "restricted": a Pod-level RuntimeDefault seccomp
 * profile unless one is set, and `ALL` among the dropped capabilities of every
 * container (capabilities a container adds are kept).
 */
export const POD_SECURITY: RenderStep = {
  name: 'pod-security',
  apply(obj, input) {
    return updatePodSpec(obj, input, spec => {
      let out = spec;
      const sc = spec.securityContext ?? {};
      if (!sc.seccompProfile) out = withKey(out, 'securityContext', withKey(sc, 'seccompProfile', { ...RUNTIME_DEFAULT_SECCOMP }));
      for (const list of ['initContainers', 'containers']) {
        if (!spec[list]) continue;
        out = withKey(out, list, spec[list].map((c: any) => {
          const csc = c.securityContext ?? {};
          const caps = csc.capabilities ?? {};
          const drop: string[] = caps.drop ?? [];
          if (drop.includes('ALL')) return c;
          return withKey(c, 'securityContext', withKey(csc, 'capabilities', withKey(caps, 'drop', ['ALL', ...drop])));
        }));
      }
      return out;
    });
  },
};

/**
 * Non-root containers that declare a port below 1024 (any container of the
 * Pod, whenever it was added) can bind it: the Pod's
 * `net.ipv4.ip_unprivileged_port_start` is lowered to the lowest such port,
 * unless the Pod sets it (the pod rules check that value). Not on the node's
 * network (`hostNetwork`), where the kubelet refuses `net.*` sysctls.
 */
export const UNPRIVILEGED_PORTS: RenderStep = {
  name: 'unprivileged-ports',
  apply(obj, input) {
    return updatePodSpec(obj, input, spec => {
      const sc = spec.securityContext ?? {};
      const sysctls: any[] = sc.sysctls ?? [];
      if (spec.hostNetwork === true || sysctls.some(s => s?.name === UNPRIVILEGED_PORT_SYSCTL)) return spec;
      const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => ({
        name: c.name,
        user: c.securityContext?.runAsUser ?? sc.runAsUser,
        ports: (c.ports ?? []).map((p: any) => p.containerPort),
      }));
      const low = lowestLowPort(containers);
      if (!low) return spec;
      return withKey(spec, 'securityContext', withKey(sc, 'sysctls', [...sysctls, { name: UNPRIVILEGED_PORT_SYSCTL, value: String(low.port) }]));
    });
  },
};

/** Pod template annotations computed at render time (the config hash). */
export const TEMPLATE_ANNOTATIONS: RenderStep = {
  name: 'template-annotations',
  apply(obj, input) {
    if (input.templateAnnotations.size === 0 || !getIn(obj, input.templatePath)) return obj;
    return updateIn(obj, [...input.templatePath, 'metadata', 'annotations'], current => {
      let out = current ?? {};
      for (const [k, v] of input.templateAnnotations) out = withKey(out, k, v);
      return out;
    });
  },
};

/** Fields of the workload spec that cdk8s-plus-27 cannot express (volume claim templates, version-gated fields). */
export const SPEC_FIELDS: RenderStep = {
  name: 'spec-fields',
  apply(obj, input) {
    if (input.specFields.size === 0) return obj;
    const specPath = input.templatePath.slice(0, -1);
    return updateIn(obj, specPath, spec => {
      let out = spec ?? {};
      for (const [k, v] of input.specFields) out = withKey(out, k, v);
      return out;
    });
  },
};

/**
 * Last: every key in the order cdk8s renders them (JavaScript's default string
 * sort, by UTF-16 code unit).
 *
 * cdk8s hands in an object whose keys are in that order, except for what
 * JSON patches set, and the steps above insert each key at its place
 * (`withKey`). So only the parents of patched fields and the values the
 * steps insert whole (native sidecar containers with their probes, spec
 * fields) are ordered, unless the app patched the object itself, or turned
 * cdk8s's ordering off (`CDK8S_DISABLE_SORT`): then the whole object is.
 */
export const KEY_ORDER: RenderStep = {
  name: 'key-order',
  apply(obj, input) {
    if (input.userPatched || process.env.CDK8S_DISABLE_SORT) return sortKeysDeep(obj);
    const paths: (readonly string[])[] = input.patchedPaths.map(p => p.slice(0, -1));
    if (input.nativeSidecars.size > 0) paths.push([...input.templatePath, 'spec', 'initContainers']);
    for (const key of input.specFields.keys()) paths.push([...input.templatePath.slice(0, -1), key]);
    let out = obj;
    for (const path of paths) {
      if (getIn(out, path) !== undefined) out = updateIn(out, path, sortKeysDeep);
    }
    return out;
  },
};
