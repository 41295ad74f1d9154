/**
 * The truth-test harness must itself catch what it claims to catch.
 */
import { knowsKind, schemaVersionFor, unknownFields, VERSIONS_WITH_SCHEMA } from './k8s-fields';
import { checkRestricted, HOST_PATHS_ANNOTATION } from './pss';
import { crdValidators, validateSchemas } from './schema';
import { checkStarts, imageName } from './starts';

function deployment(podSpec: any, annotations?: any, kind = 'Deployment'): any {
  return {
    apiVersion: kind === 'DaemonSet' || kind === 'Deployment' ? 'apps/v1' : 'batch/v1',
    kind,
    metadata: { name: 'x', annotations },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } },
  };
}

const restrictedContainer = {
  name: 'app',
  image: 'nginx:1.27.2',
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
};
const restrictedPod = { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [restrictedContainer] };

describe('PSS restricted check', () => {
  test('a restricted Pod passes', () => {
    expect(checkRestricted([deployment(restrictedPod)])).toEqual([]);
  });

  test.each([
    ['privileged', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, privileged: true } }, 'Privileged Containers'],
    ['no capability drop', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, capabilities: {} } }, 'Capabilities (restricted)'],
    ['adds SYS_ADMIN', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } }, 'Capabilities (baseline)'],
    ['privilege escalation allowed', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, allowPrivilegeEscalation: true } }, 'Privilege Escalation'],
    ['runs as root', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, runAsNonRoot: false } }, 'Running as Non-root'],
    ['uid 0', { ...restrictedContainer, securityContext: { ...restrictedContainer.securityContext, runAsUser: 0 } }, 'Running as Non-root user'],
    ['host port', { ...restrictedContainer, ports: [{ containerPort: 80, hostPort: 80 }] }, 'Host Ports'],
  ])('flags a container that is %s', (_what, container, control) => {
    const found = checkRestricted([deployment({ ...restrictedPod, containers: [container] })]);
    expect(found.map(f => f.control)).toContain(control);
  });

  test('flags a missing seccomp profile', () => {
    const found = checkRestricted([deployment({ containers: [restrictedContainer] })]);
    expect(found.map(f => f.control)).toEqual(['Seccomp']);
  });

  test('flags host namespaces', () => {
    const found = checkRestricted([deployment({ ...restrictedPod, hostNetwork: true, hostPID: true })]);
    expect(found.map(f => f.detail)).toEqual(['hostNetwork is true', 'hostPID is true']);
  });

  test('checks init containers and CronJob templates too', () => {
    const bad = { ...restrictedContainer, name: 'init', securityContext: {} };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { ...restrictedPod, initContainers: [bad] } } } } },
    };
    const found = checkRestricted([cron]);
    expect(found.every(f => f.object === 'CronJob/c')).toBe(true);
    expect(found.map(f => f.control)).toEqual(['Capabilities (restricted)', 'Privilege Escalation', 'Running as Non-root']);
  });

  test('rejects an undeclared hostPath, and a declared one mounted writable', () => {
    const pod = (readOnly: boolean) => ({
      ...restrictedPod,
      volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
      containers: [{ ...restrictedContainer, volumeMounts: [{ name: 'logs', mountPath: '/var/log', readOnly }] }],
    });
    expect(checkRestricted([deployment(pod(true), undefined, 'DaemonSet')]).map(f => f.control)).toEqual(['Volume Types']);
    const declared = { [HOST_PATHS_ANNOTATION]: '/var/log' };
    expect(checkRestricted([deployment(pod(true), declared, 'DaemonSet')])).toEqual([]);
    expect(checkRestricted([deployment(pod(false), declared, 'DaemonSet')]).map(f => f.detail))
      .toEqual(['declared hostPath /var/log is mounted writable by app']);
    // the exception is for node agents only
    expect(checkRestricted([deployment(pod(true), declared, 'Deployment')]).map(f => f.control)).toEqual(['Volume Types']);
  });
});

describe('per-version field check', () => {
  const job = (spec: any, initContainers?: any[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', labels: { 'any-key': 'v' } },
    spec: {
      ...spec,
      template: {
        spec: {
          setHostnameAsFQDN: false,
          containers: [{ name: 'app', image: 'busybox:1.36.1', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80 }] }],
          initContainers,
          restartPolicy: 'Never',
        },
      },
    },
  });

  test('has a schema for 1.27 to 1.33, and checks 1.34 against 1.33', () => {
    expect(VERSIONS_WITH_SCHEMA).toEqual(['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33']);
    expect(schemaVersionFor('1.34')).toBe('1.33');
    expect(schemaVersionFor('1.29')).toBe('1.29');
  });

  test('accepts the fields of the version, by their JSON names (setHostnameAsFQDN, clusterIP)', () => {
    expect(unknownFields(job({ completions: 1, podFailurePolicy: { rules: [] } }), '1.27')).toEqual([]);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: 'None', ports: [{ port: 80, targetPort: 80 }] } };
    expect(unknownFields(service, '1.27')).toEqual([]);
  });

  test('reports a field the version does not know: backoffLimitPerIndex before 1.28', () => {
    const indexed = job({ completionMode: 'Indexed', backoffLimitPerIndex: 1 });
    expect(unknownFields(indexed, '1.27')).toEqual(['Job/j: spec.backoffLimitPerIndex is not a field of JobSpec in Kubernetes 1.27']);
    expect(unknownFields(indexed, '1.33')).toEqual([]);
  });

  test('reports a native sidecar\'s restartPolicy before 1.28, at its place in the list', () => {
    const withSidecar = job({}, [{ name: 'side', image: 'busybox:1.36.1', restartPolicy: 'Always' }]);
    expect(unknownFields(withSidecar, '1.27'))
      .toEqual(['Job/j: spec.template.spec.initContainers[0].restartPolicy is not a field of Container in Kubernetes 1.27']);
    expect(unknownFields(withSidecar, '1.29')).toEqual([]);
  });

  test('reports a misspelled field in a map value and a nested object', () => {
    const typo = job({}, [{ name: 'side', image: 'busybox:1.36.1', securityContext: { runAsUsr: 1 } }]);
    expect(unknownFields(typo, '1.33'))
      .toEqual(['Job/j: spec.template.spec.initContainers[0].securityContext.runAsUsr is not a field of SecurityContext in Kubernetes 1.33']);
  });

  test('knows the kinds of each version, and leaves custom resources to their CRD', () => {
    expect(knowsKind('1.27', 'policy/v1', 'PodDisruptionBudget')).toBe(true);
    expect(knowsKind('1.27', 'example.com/v1', 'Widget')).toBe(false);
    expect(unknownFields({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: 1 } }, '1.27')).toEqual([]);
  });
});

describe('schema check', () => {
  test('accepts a valid object and rejects a wrong type', () => {
    const good = deployment(restrictedPod);
    expect(validateSchemas([good]).errors).toEqual([]);
    const bad = deployment({ ...restrictedPod, containers: [{ ...restrictedContainer, ports: [{ containerPort: 'http' }] }] });
    const result = validateSchemas([bad]);
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toContain('containerPort must be integer');
  });

  test('reports objects of unknown kinds as unchecked instead of passing them', () => {
    const result = validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    expect(result.unchecked).toEqual(['example.com/v1 Widget/w']);
  });

  test('validates custom resources against their CRD schema', () => {
    const crd = {
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const custom = crdValidators(crd);
    const ok = validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } }], custom);
    expect(ok.errors).toEqual([]);
    const bad = validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'three' } }], custom);
    expect(bad.errors).toEqual(['example.com/v1 Widget/w: .spec.size should be integer']);
  });
});

describe('starts-as-written check', () => {
  const sized = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } };
  const nonRoot = { runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true };
  const app = { name: 'app', image: 'example/app:1.0.0', securityContext: nonRoot, resources: sized, ports: [{ containerPort: 8080 }] };
  const checksOf = (spec: any) => checkStarts([deployment(spec)]).map(v => `${v.container} ${v.check}: ${v.detail}`);

  test('a Pod with a numeric user, writable paths, high ports and sized resources passes', () => {
    const nginx = {
      ...app,
      image: 'nginx:1.7.9',
      ports: [{ containerPort: 80 }],
      volumeMounts: [{ name: 'cache', mountPath: '/var/cache/nginx' }, { name: 'run', mountPath: '/var/run' }],
    };
    const spec = { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] }, containers: [nginx] };
    expect(checksOf(spec)).toEqual([]);
  });

  test('an explicit root opt-in passes the user check and needs no sysctl', () => {
    const root = { ...app, ports: [{ containerPort: 80 }], securityContext: { runAsNonRoot: false, runAsUser: 0 } };
    expect(checksOf({ containers: [root] })).toEqual([]);
  });

  test('flags a container without a numeric user, and user 0 without runAsNonRoot: false', () => {
    const noUser = { ...app, securityContext: { runAsNonRoot: true } };
    const zero = { ...app, name: 'zero', securityContext: { runAsUser: 0 } };
    expect(checksOf({ containers: [noUser, zero] })).toEqual([
      'app user: image example/app:1.0.0 has no numeric user (runAsUser unset) and no root opt-in',
      'zero user: image example/app:1.0.0 has no numeric user (runAsUser 0) and no root opt-in',
    ]);
  });

  test('a Pod-level user counts for its containers', () => {
    const noUser = { ...app, securityContext: { runAsNonRoot: true } };
    expect(checksOf({ securityContext: { runAsUser: 2000 }, containers: [noUser] })).toEqual([]);
  });

  test('flags a known writer image under a read-only root without mounts where it writes', () => {
    const tomcat = {
      ...app,
      image: 'docker.io/library/tomcat:7.0',
      volumeMounts: [{ name: 'logs', mountPath: '/usr/local/tomcat/logs' },
        { name: 'work', mountPath: '/usr/local/tomcat/work', readOnly: true }],
    };
    expect(checksOf({ containers: [tomcat] })).toEqual([
      'app writable-paths: image docker.io/library/tomcat:7.0 writes /usr/local/tomcat/work, which is on the read-only root filesystem',
      'app writable-paths: image docker.io/library/tomcat:7.0 writes /usr/local/tomcat/temp, which is on the read-only root filesystem',
    ]);
  });

  test('a mount above a written directory covers it, and a writable root needs none', () => {
    const mysql = { ...app, image: 'mysql:8.4.2', volumeMounts: [{ name: 'var', mountPath: '/var' }, { name: 'tmp', mountPath: '/tmp' }] };
    const httpd = { ...app, name: 'web', image: 'httpd:2.4.62', securityContext: { ...nonRoot, readOnlyRootFilesystem: false } };
    expect(checksOf({ containers: [mysql, httpd] })).toEqual([]);
  });

  test('flags a non-root port below 1024 without the sysctl, or with it set above the port', () => {
    const web = { ...app, ports: [{ containerPort: 443 }] };
    expect(checksOf({ containers: [web] })).toEqual([
      'app privileged-port: non-root container declares port 443, below net.ipv4.ip_unprivileged_port_start 1024',
    ]);
    expect(checksOf({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '500' }] }, containers: [web] }))
      .toEqual(['app privileged-port: non-root container declares port 443, below net.ipv4.ip_unprivileged_port_start 500']);
  });

  test('flags a main container with cdk8s-plus\'s default resources, but not a sidecar', () => {
    const plus = { requests: { cpu: '1000m', memory: '512Mi' }, limits: { cpu: '1500m', memory: '2048Mi' } };
    expect(checksOf({ containers: [{ ...app, resources: plus }, { ...app, name: 'side', resources: plus }] })).toEqual([
      'app default-resources: main container carries cdk8s-plus\'s default resources (1000m / 512Mi requested, 1500m / 2048Mi limit)',
    ]);
  });

  test('image names are read without registry, tag or digest', () => {
    expect(['nginx:1.7.9', 'docker.io/library/nginx:1.7.9', 'registry:5000/team/nginx@sha256:ab', 'nginx'].map(imageName))
      .toEqual(['nginx', 'nginx', 'nginx', 'nginx']);
  });
});
