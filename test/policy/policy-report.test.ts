import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Size, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PolicyReport, PolicyRule, PolicySeverity, RootOptIn, StatelessService } from '../../src';
import { newChart } from '../util';

const LABELS = { app: 'web' };

/** A container that satisfies every rule. */
function goodContainer(name = 'app'): any {
  return {
    name,
    image: 'nginx:1.27.2',
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    securityContext: { runAsNonRoot: true, runAsUser: 10001 },
  };
}

/** A replicated Deployment that satisfies every rule (with the PDB below). */
function goodDeployment(spec: any = {}, replicas = 2): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          automountServiceAccountToken: false,
          containers: [goodContainer()],
          topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS },
          }],
          ...spec,
        },
      },
    },
  };
}

function pdb(selector: any = { matchLabels: LABELS }, namespace?: string): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace }, spec: { maxUnavailable: 1, selector } };
}

function service(selector: any = LABELS): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } };
}

/** The report over plain manifests, each rendered by a chart as it is. */
function reportOf(...manifests: any[]): PolicyReport {
  const chart = newChart();
  manifests.forEach((m, i) => new ApiObject(chart, `m${i}`, m));
  return PolicyReport.fromChart(chart);
}

function rulesOf(report: PolicyReport): string[] {
  return report.findings.map(f => `${f.rule} ${f.object}${f.container ? `/${f.container}` : ''}`);
}

describe('PolicyReport', () => {
  test('a sound replicated Deployment has no findings', () => {
    // GIVEN a Deployment with probes, resources, pinned image, PDB, spread and no token
    // WHEN it is checked
    const report = reportOf(goodDeployment(), pdb(), service());
    // THEN nothing is found
    expect(report.findings).toEqual([]);
    expect(report.format()).toBe('');
  });

  test('rule ids are stable', () => {
    expect(Object.values(PolicyRule)).toEqual([
      'main-container-readiness-probe', 'container-resources', 'replicated-disruption-budget', 'replicated-spread',
      'container-image-pinned', 'service-account-token', 'env-plaintext-secret', 'container-runs-as-root',
      'container-privileged', 'container-privilege-escalation', 'container-added-capabilities', 'pod-host-network',
      'pod-host-pid', 'pod-host-ipc',
    ]);
    expect(Object.values(PolicySeverity)).toEqual(['error', 'warning']);
  });

  describe('readiness probe', () => {
    test('fires as an ERROR when a Service sends traffic to a main container without one', () => {
      // GIVEN a Deployment selected by a Service whose main container has no readiness probe
      const { readinessProbe, ...noProbe } = goodContainer();
      void readinessProbe;
      // WHEN
      const report = reportOf(goodDeployment({ containers: [noProbe] }), pdb(), service());
      // THEN
      expect(report.findings).toEqual([{
        object: 'Deployment/web',
        container: 'app',
        rule: PolicyRule.READINESS_PROBE,
        severity: PolicySeverity.ERROR,
        message: 'main container "app" has no readiness probe, yet Service "web" sends traffic to its Pods; they receive requests '
          + 'as soon as the process starts, before the app can answer. Fix: give the main container a readiness probe '
          + '(e.g. readiness: Probe.fromHttpGet("/ready")).',
      }]);
    });

    test('fires as a WARNING when no Service selects the Pods', () => {
      const { readinessProbe, ...noProbe } = goodContainer();
      void readinessProbe;
      const report = reportOf(goodDeployment({ containers: [noProbe] }), pdb(), service({ app: 'other' }));
      expect(report.findings.map(f => [f.rule, f.severity])).toEqual([[PolicyRule.READINESS_PROBE, PolicySeverity.WARNING]]);
    });

    test('ignores sidecars: only the first container is the main container', () => {
      // GIVEN a sidecar without a probe after a main container with one
      const { readinessProbe, ...sidecar } = goodContainer('proxy');
      void readinessProbe;
      const report = reportOf(goodDeployment({ containers: [goodContainer(), sidecar] }), pdb(), service());
      expect(report.findings).toEqual([]);
    });

    test('the default-container annotation names the main container', () => {
      // GIVEN a Pod whose annotation says the second container is the main one, which has no probe
      const { readinessProbe, ...app } = goodContainer('app');
      void readinessProbe;
      const dep = goodDeployment({ containers: [goodContainer('proxy'), app] });
      dep.spec.template.metadata.annotations = { [PolicyReport.DEFAULT_CONTAINER_ANNOTATION]: 'app' };
      const report = reportOf(dep, pdb(), service());
      expect(rulesOf(report)).toEqual(['main-container-readiness-probe Deployment/web/app']);
    });

    test('does not apply to Jobs and CronJobs', () => {
      const { readinessProbe, ...task } = goodContainer('task');
      void readinessProbe;
      const podTemplate = { spec: { automountServiceAccountToken: false, restartPolicy: 'Never', containers: [task] } };
      const report = reportOf(
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: podTemplate } },
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate } } } },
      );
      expect(report.findings).toEqual([]);
    });
  });

  describe('container resources', () => {
    test('fires for every container missing cpu/memory requests or a memory limit, init steps and native sidecars included', () => {
      // GIVEN an init step without resources, a native sidecar without a memory limit, an app without a cpu request
      const dep = goodDeployment({
        initContainers: [
          { name: 'shipper', image: 'fluent/fluent-bit:3.1.9', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
          { name: 'copy', image: 'busybox:1.36.1' },
        ],
        securityContext: { runAsNonRoot: true, runAsUser: 10001 },
        containers: [{ ...goodContainer(), resources: { requests: { memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } }],
      });
      // WHEN
      const report = reportOf(dep, pdb());
      // THEN one finding per container, naming what is missing
      expect(report.findings.map(f => f.message.split(';')[0])).toEqual([
        'sidecar "shipper" sets no limits.memory',
        'init container "copy" sets no requests.cpu, requests.memory, limits.memory',
        'container "app" sets no requests.cpu',
      ]);
      expect(report.findings.every(f => f.rule === PolicyRule.CONTAINER_RESOURCES && f.severity === PolicySeverity.ERROR)).toBe(true);
      expect(report.findings[0].message).toBe('sidecar "shipper" sets no limits.memory; without requests the scheduler cannot place '
        + 'the Pod reliably, and without a memory limit a leak starves the other containers of the node. '
        + 'Fix: set resources: { cpu: { request }, memory: { request, limit } } on the container.');
    });

    test('a CPU limit is not required', () => {
      expect(reportOf(goodDeployment(), pdb()).findings).toEqual([]);
    });
  });

  describe('replicated workloads', () => {
    test('fires when no PodDisruptionBudget selects the Pods of a Deployment with 2 replicas', () => {
      // GIVEN a PDB that selects other Pods, and one in another namespace
      const report = reportOf(goodDeployment(), pdb({ matchLabels: { app: 'other' } }), pdb({ matchLabels: LABELS }, 'elsewhere'));
      // THEN
      expect(report.findings).toEqual([{
        object: 'Deployment/web',
        container: undefined,
        rule: PolicyRule.DISRUPTION_BUDGET,
        severity: PolicySeverity.ERROR,
        message: 'it runs 2 replicas, but no PodDisruptionBudget selects its Pods, so a node drain or cluster upgrade may evict '
          + 'all of them at once. Fix: add a PodDisruptionBudget whose selector matches the Pod labels (e.g. maxUnavailable: 1).',
      }]);
    });

    test('a PodDisruptionBudget may select with matchExpressions', () => {
      const selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }, { key: 'tier', operator: 'DoesNotExist' }] };
      expect(reportOf(goodDeployment(), pdb(selector)).findings).toEqual([]);
      const excluding = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
      expect(rulesOf(reportOf(goodDeployment(), pdb(excluding)))).toEqual(['replicated-disruption-budget Deployment/web']);
    });

    test('fires as a WARNING when nothing spreads the replicas over nodes', () => {
      // GIVEN a replicated Deployment with no spread, and one whose spread constraint selects other Pods
      const noSpread = goodDeployment({ topologySpreadConstraints: undefined });
      const foreign = goodDeployment({
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'db' } } }],
      });
      for (const dep of [noSpread, foreign]) {
        // WHEN
        const report = reportOf(dep, pdb());
        // THEN
        expect(report.findings).toEqual([{
          object: 'Deployment/web',
          container: undefined,
          rule: PolicyRule.SPREAD,
          severity: PolicySeverity.WARNING,
          message: 'it runs 2 replicas, but neither a topology spread constraint nor a pod anti-affinity term selects its own Pods, '
            + 'so the scheduler may put every replica on one node. Fix: add a topologySpreadConstraint or a preferred pod '
            + 'anti-affinity on kubernetes.io/hostname whose labelSelector matches the Pod labels.',
        }]);
      }
    });

    test('a required or preferred pod anti-affinity on the own Pods counts as spread', () => {
      const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: LABELS } };
      const required = goodDeployment({
        topologySpreadConstraints: undefined,
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
      });
      const preferred = goodDeployment({
        topologySpreadConstraints: undefined,
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } },
      });
      expect(reportOf(required, pdb()).findings).toEqual([]);
      expect(reportOf(preferred, pdb()).findings).toEqual([]);
    });

    test('an autoscaled Deployment is replicated even without replicas', () => {
      // GIVEN a Deployment with no replicas field, scaled by an HPA up to 5, with neither PDB nor spread
      const dep = goodDeployment({ topologySpreadConstraints: undefined });
      delete dep.spec.replicas;
      const hpa = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web-hpa' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 },
      };
      // WHEN
      const report = reportOf(dep, hpa);
      // THEN both rules fire, naming the autoscaler
      expect(rulesOf(report)).toEqual(['replicated-disruption-budget Deployment/web', 'replicated-spread Deployment/web']);
      expect(report.findings[0].message).toContain('HorizontalPodAutoscaler "web-hpa" scales it to 5 replicas, but no PodDisruptionBudget');
    });

    test('a single replica (or no replicas field) needs neither', () => {
      const one = goodDeployment({ topologySpreadConstraints: undefined }, 1);
      const unset = goodDeployment({ topologySpreadConstraints: undefined });
      delete unset.spec.replicas;
      expect(reportOf(one).findings).toEqual([]);
      expect(reportOf(unset).findings).toEqual([]);
    });

    test('applies to StatefulSets', () => {
      const sts = { ...goodDeployment({ topologySpreadConstraints: undefined }, 3), kind: 'StatefulSet' };
      expect(rulesOf(reportOf(sts))).toEqual(['replicated-disruption-budget StatefulSet/web', 'replicated-spread StatefulSet/web']);
    });
  });

  describe('pinned images', () => {
    test.each([
      ['nginx', 'has no tag'],
      ['registry.local:5000/team/nginx', 'has no tag'],
      ['nginx:latest', 'uses the "latest" tag'],
    ])('fires for image %s', (image, why) => {
      // GIVEN
      const dep = goodDeployment({ containers: [{ ...goodContainer(), image }] });
      // WHEN
      const report = reportOf(dep, pdb());
      // THEN
      expect(report.findings).toEqual([{
        object: 'Deployment/web',
        container: 'app',
        rule: PolicyRule.PINNED_IMAGE,
        severity: PolicySeverity.ERROR,
        message: `container "app" runs image "${image}", which ${why}, so nodes may run different code and a rollback cannot `
          + 'return to the old version. Fix: pin a version tag (e.g. ":1.2.3") or a digest ("@sha256:...").',
      }]);
    });

    test('fires for a container without an image', () => {
      const dep = goodDeployment({ initContainers: [{ ...goodContainer('copy'), image: undefined }] });
      expect(reportOf(dep, pdb()).findings.map(f => f.message)).toEqual([
        'init container "copy" names no image. Fix: set image to a reference pinned to a version, e.g. "nginx:1.27.2".',
      ]);
    });

    test.each(['registry.local:5000/team/nginx:1.27.2', 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])(
      'is silent for %s', image => {
        expect(reportOf(goodDeployment({ containers: [{ ...goodContainer(), image }] }), pdb()).findings).toEqual([]);
      });
  });

  describe('service account token', () => {
    test.each([
      [undefined, 'unset, so true'],
      [true, 'true'],
    ])('fires when automountServiceAccountToken is %s and no service account is named', (automount, shown) => {
      // GIVEN
      const dep = goodDeployment({ automountServiceAccountToken: automount });
      // WHEN
      const report = reportOf(dep, pdb());
      // THEN
      expect(report.findings).toEqual([{
        object: 'Deployment/web',
        container: undefined,
        rule: PolicyRule.SERVICE_ACCOUNT_TOKEN,
        severity: PolicySeverity.ERROR,
        message: `the Pod mounts a service account token (automountServiceAccountToken is ${shown}) but names no service account `
          + 'of its own, so every container gets API credentials of the namespace\'s default account without needing them. '
          + 'Fix: set automountServiceAccountToken: false, or run as a dedicated service account.',
      }]);
    });

    test('naming the default account is not naming one', () => {
      const dep = goodDeployment({ automountServiceAccountToken: true, serviceAccountName: 'default' });
      expect(rulesOf(reportOf(dep, pdb()))).toEqual(['service-account-token Deployment/web']);
    });

    test('is silent when a service account is named explicitly', () => {
      const dep = goodDeployment({ automountServiceAccountToken: undefined, serviceAccountName: 'operator' });
      expect(reportOf(dep, pdb()).findings).toEqual([]);
    });
  });

  describe('plaintext secrets in env', () => {
    test.each(['DB_PASSWORD', 'MYSQL_PASSWD', 'client_secret', 'GITHUB_TOKEN', 'API_KEY', 'AWS_SECRET_ACCESS_KEY', 'APIKEY', 'ssh.key'])(
      'fires for %s with a literal value', name => {
        // GIVEN
        const dep = goodDeployment({ containers: [{ ...goodContainer(), env: [{ name, value: 'hunter2' }] }] });
        // WHEN
        const report = reportOf(dep, pdb());
        // THEN
        expect(report.findings).toEqual([{
          object: 'Deployment/web',
          container: 'app',
          rule: PolicyRule.PLAINTEXT_SECRET_ENV,
          severity: PolicySeverity.ERROR,
          message: `container "app" sets env var ${name} to a literal value; a secret written into the manifest ends up in Git and `
            + 'in every reader of the object. Fix: store it in a Secret and reference it (valueFrom.secretKeyRef, e.g. '
            + 'EnvValue.fromSecretValue(...)).',
        }]);
      });

    test('is silent for secret references, empty values, locations and unrelated names', () => {
      const env = [
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'EMPTY_TOKEN', value: '' },
        { name: 'TOKEN_FILE', value: '/var/run/secrets/token' },
        { name: 'TLS_KEY_PATH', value: '/etc/tls/tls.key' },
        { name: 'KEYCLOAK_URL', value: 'https://sso.example.com' },
        { name: 'LOG_LEVEL', value: 'info' },
      ];
      const dep = goodDeployment({ containers: [{ ...goodContainer(), env }] });
      expect(reportOf(dep, pdb()).findings).toEqual([]);
    });

    test('fires for a URL with a password, and masks the password', () => {
      // GIVEN
      const env = [{ name: 'DATABASE_URL', value: 'postgres://user:hunter2@db:5432/app' }];
      const dep = goodDeployment({ containers: [{ ...goodContainer(), env }] });
      // WHEN
      const report = reportOf(dep, pdb());
      // THEN
      expect(report.format()).toEqual('ERROR [env-plaintext-secret] Deployment/web (container app): container "app" sets env var '
        + 'DATABASE_URL to a literal value (its value is a URL with a password ("postgres://user:****@db:5432/app")); a secret '
        + 'written into the manifest ends up in Git and in every reader of the object. Fix: store it in a Secret and reference '
        + 'it (valueFrom.secretKeyRef, e.g. EnvValue.fromSecretValue(...)).');
    });

    test('is silent for URLs with a user but no password', () => {
      const env = [{ name: 'DATABASE_URL', value: 'postgres://user@db:5432/app' }, { name: 'MIRROR', value: 'https://example.com/a:b@c' }];
      expect(reportOf(goodDeployment({ containers: [{ ...goodContainer(), env }] }), pdb()).findings).toEqual([]);
    });

    test('checks init containers too', () => {
      const dep = goodDeployment({ initContainers: [{ ...goodContainer('migrate'), env: [{ name: 'ADMIN_PASSWORD', value: 'x' }] }] });
      expect(rulesOf(reportOf(dep, pdb()))).toEqual(['env-plaintext-secret Deployment/web/migrate']);
    });
  });

  describe('runs as root', () => {
    test('fires as a WARNING for a container with user 0 or without runAsNonRoot', () => {
      // GIVEN one container opted into root and one with no user settings at all
      const root = { ...goodContainer(), securityContext: { runAsNonRoot: false, runAsUser: 0 } };
      const { securityContext, ...unset } = goodContainer('helper');
      void securityContext;
      // WHEN
      const report = reportOf(goodDeployment({ containers: [root, unset] }), pdb());
      // THEN
      expect(report.findings).toEqual([
        {
          object: 'Deployment/web',
          container: 'app',
          rule: PolicyRule.RUNS_AS_ROOT,
          severity: PolicySeverity.WARNING,
          message: 'container "app" may run as root (runAsUser 0, runAsNonRoot false), so the Pod does not meet the restricted Pod '
            + 'Security Standard and is refused where it is enforced. Fix: run it as a numeric non-root user with writablePaths for '
            + 'what it writes; keep runAsRoot only if the image cannot run otherwise.',
        },
        {
          object: 'Deployment/web',
          container: 'helper',
          rule: PolicyRule.RUNS_AS_ROOT,
          severity: PolicySeverity.WARNING,
          message: 'container "helper" may run as root (runAsUser unset, runAsNonRoot unset), so the Pod does not meet the restricted '
            + 'Pod Security Standard and is refused where it is enforced. Fix: run it as a numeric non-root user with writablePaths '
            + 'for what it writes; keep runAsRoot only if the image cannot run otherwise.',
        },
      ]);
    });

    test('a Pod-level non-root user counts for every container', () => {
      const { securityContext, ...unset } = goodContainer();
      void securityContext;
      const report = reportOf(goodDeployment({ containers: [unset], securityContext: { runAsNonRoot: true, runAsUser: 2000 } }), pdb());
      expect(report.findings).toEqual([]);
    });

    test('is reported for a workload that opts into root', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: { image: 'nginx:1.27.2', ports: [{ number: 8080 }], readiness: kplus.Probe.fromTcpSocket() },
        runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
      });
      const report = PolicyReport.fromChart(chart);
      expect(report.findings.filter(f => f.rule === PolicyRule.RUNS_AS_ROOT).map(f => f.container)).toEqual(['app']);
    });
  });

  describe('security overrides', () => {
    const nonRoot = { runAsNonRoot: true, runAsUser: 10001 };
    const withSc = (sc: any) => goodDeployment({ containers: [{ ...goodContainer(), securityContext: { ...nonRoot, ...sc } }] });
    test.each([
      ['privileged', withSc({ privileged: true }), PolicyRule.PRIVILEGED, 'container "app" sets securityContext.privileged: true, '
        + 'which gives it every capability and device of the node', 'baseline', 'app'],
      ['allowPrivilegeEscalation', withSc({ allowPrivilegeEscalation: true }), PolicyRule.PRIVILEGE_ESCALATION,
        'container "app" sets securityContext.allowPrivilegeEscalation: true, which lets a setuid binary gain privileges the '
        + 'process did not start with', 'restricted', 'app'],
      ['added capabilities', withSc({ capabilities: { add: ['NET_ADMIN'] } }), PolicyRule.ADDED_CAPABILITIES,
        'container "app" sets securityContext.capabilities.add ["NET_ADMIN"], which grants privileges beyond those of an '
        + 'unprivileged process', 'restricted', 'app'],
      ['hostNetwork', goodDeployment({ hostNetwork: true }), PolicyRule.HOST_NETWORK,
        'the Pod sets hostNetwork: true, which shares the node\'s network namespace, past NetworkPolicies', 'baseline', undefined],
      ['hostPID', goodDeployment({ hostPID: true }), PolicyRule.HOST_PID,
        'the Pod sets hostPID: true, which shows the Pod every process of the node', 'baseline', undefined],
      ['hostIPC', goodDeployment({ hostIPC: true }), PolicyRule.HOST_IPC,
        'the Pod sets hostIPC: true, which shares the node\'s IPC and shared memory', 'baseline', undefined],
    ])('fires for %s', (_what, dep, rule, problem, profile, container) => {
      // WHEN
      const report = reportOf(dep, pdb());
      // THEN
      expect(report.findings).toEqual([{
        object: 'Deployment/web',
        container,
        rule,
        severity: PolicySeverity.ERROR,
        message: `${problem}; it fails the Pod Security Standards "${profile}" profile. Fix: remove the setting, or run the workload `
          + `in a namespace that allows the "${profile}" violation and keep this finding as a reviewed exception.`,
      }]);
    });

    test('is silent for settings that keep the defaults', () => {
      const dep = goodDeployment({
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        securityContext: { runAsUser: 1000 },
        containers: [{ ...goodContainer(), securityContext: { ...nonRoot, privileged: false, allowPrivilegeEscalation: false, capabilities: { add: [], drop: ['ALL'] } } }],
      });
      expect(reportOf(dep, pdb()).findings).toEqual([]);
    });

    test('checks sidecars and init containers too', () => {
      const dep = goodDeployment({
        initContainers: [{ ...goodContainer('proxy'), restartPolicy: 'Always', securityContext: { ...nonRoot, privileged: true } },
          { ...goodContainer('setup'), securityContext: { ...nonRoot, capabilities: { add: ['CHOWN'] } } }],
      });
      expect(rulesOf(reportOf(dep, pdb()))).toEqual(['container-privileged Deployment/web/proxy', 'container-added-capabilities Deployment/web/setup']);
    });
  });

  describe('inputs and output', () => {
    test('findings are ordered by object, then rule, then container, and formatted one per line', () => {
      // GIVEN two objects with several problems each
      const bad = goodDeployment({ automountServiceAccountToken: undefined, containers: [{ ...goodContainer(), image: 'nginx' }] });
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'debug', namespace: 'ops' },
        spec: { automountServiceAccountToken: false, containers: [{ name: 'sh', image: 'busybox:1.36.1' }] },
      };
      // WHEN
      const report = reportOf(bad, pdb(), pod);
      // THEN
      expect(rulesOf(report)).toEqual([
        'container-image-pinned Deployment/web/app',
        'service-account-token Deployment/web',
        'main-container-readiness-probe Pod/ops/debug/sh',
        'container-resources Pod/ops/debug/sh',
        'container-runs-as-root Pod/ops/debug/sh',
      ]);
      expect(report.errors.length).toBe(3);
      expect(report.warnings.map(f => f.rule)).toEqual([PolicyRule.READINESS_PROBE, PolicyRule.RUNS_AS_ROOT]);
      expect(report.format().split('\n')[0]).toBe(
        'ERROR [container-image-pinned] Deployment/web (container app): container "app" runs image "nginx", which has no tag, '
        + 'so nodes may run different code and a rollback cannot return to the old version. '
        + 'Fix: pin a version tag (e.g. ":1.2.3") or a digest ("@sha256:...").');
      expect(report.format().split('\n')[1]).toMatch(/^ERROR \[service-account-token\] Deployment\/web: the Pod mounts/);
    });

    test('reads a multi-document YAML file', () => {
      // GIVEN the manifests written to a file
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'app.k8s.yaml');
      fs.writeFileSync(file, Yaml.stringify(goodDeployment({ automountServiceAccountToken: undefined }), pdb()));
      // WHEN
      const report = PolicyReport.fromYamlFile(file);
      // THEN
      expect(rulesOf(report)).toEqual(['service-account-token Deployment/web']);
    });

    test('reads every chart of an app', () => {
      const app = Testing.app();
      new ApiObject(new Chart(app, 'one'), 'd', goodDeployment({ automountServiceAccountToken: undefined }));
      new ApiObject(new Chart(app, 'two'), 'p', pdb());
      expect(rulesOf(PolicyReport.fromApp(app))).toEqual(['service-account-token Deployment/web']);
    });

    test('objects without a Pod template are ignored', () => {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { API_KEY: 'x' } };
      expect(reportOf(cm, service()).findings).toEqual([]);
    });
  });

  describe('over the output of this library', () => {
    test('defaults of a replicated StatelessService', () => {
      // GIVEN a StatelessService with 2 replicas, a readiness probe and resources
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: {
          image: 'nginx:1.27.2',
          securityContext: { user: 10001 },
          ports: [{ number: 8080, name: 'http' }],
          readiness: kplus.Probe.fromHttpGet('/ready'),
          resources: {
            cpu: { request: kplus.Cpu.millis(100) },
            memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
          },
        },
      });
      // WHEN
      const report = PolicyReport.fromChart(chart);
      // THEN no errors (the PDB, probe, resources, pinned image and token opt-out are there)
      expect(report.errors).toEqual([]);
      expect(report.findings).toMatchSnapshot();
    });

    test('a StatelessService given no readiness probe gets a TCP one, so its Service traffic is no ERROR', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] } });
      expect(PolicyReport.fromChart(chart).errors).toEqual([]);
    });
  });
});
