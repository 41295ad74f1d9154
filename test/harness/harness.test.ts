/**
 * The truth-test harness must itself catch what it claims to catch.
 */
import { checkRestricted, HOST_PATHS_ANNOTATION } from './pss';
import { crdValidators, validateSchemas } from './schema';

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
