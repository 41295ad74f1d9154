/**
 * Properties of every valid composition of a workload and container design
 * patterns: the synthesized output is schema-valid, meets PSS "restricted",
 * has no container-name, port or mount-path collisions, is byte-identical
 * when synthesized again, and adding a pattern never renames or removes an
 * object that already existed.
 */
import { Chart, Cron, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  Ambassador, ArtifactInit, BatchTask, ConfigReloader, Endpoint, EnvConfig, ExporterAdapter, HttpAdapter, InitStep, IPodPattern,
  KubernetesVersion, LogCollector, LogDestination, MountedConfig, NodeAgent, PolicyReport, PolicyRule, ReloadAction, ScheduledTask,
  SecretKeyRef, SidecarMode,
  StatefulService, StatelessService, WaitFor,
} from '../src';
import { podTemplateOf, checkRestricted } from './harness/pss';
import { validateSchemas } from './harness/schema';
import { newChart, synth } from './util';

/** Runs per property; raise it with PROPERTY_RUNS to search harder. */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

type WorkloadType = 'stateless' | 'stateful' | 'node-agent' | 'batch' | 'scheduled';
type PatternKind = 'init-step' | 'second-init-step' | 'artifact-init' | 'wait-for' | 'log-collector' | 'audit-log-collector'
  | 'ambassador' | 'http-adapter' | 'exporter' | 'env-config' | 'mounted-config' | 'config-reloader';

/** Patterns that add a sidecar (refused in Jobs with CLASSIC sidecars). */
const SIDECAR_KINDS = new Set<PatternKind>(['log-collector', 'audit-log-collector', 'ambassador', 'http-adapter', 'exporter', 'config-reloader']);
const ALL_KINDS: PatternKind[] = ['init-step', 'second-init-step', 'artifact-init', 'wait-for', 'log-collector', 'audit-log-collector',
  'ambassador', 'http-adapter', 'exporter', 'env-config', 'mounted-config', 'config-reloader'];

/** A composition, as plain data: building it twice gives two equal apps. */
interface Composition {
  readonly workload: WorkloadType;
  readonly mode: SidecarMode;
  /** Pattern kinds in attach order (no kind twice; config-reloader always after mounted-config). */
  readonly patterns: PatternKind[];
  /** Distinct ports: app, ambassador, http adapter, exporter. */
  readonly ports: number[];
  readonly replicas: number;
  readonly autoscale: boolean;
  readonly hostPaths: boolean;
  readonly logDestination: 'stdout' | 'loki' | 'elasticsearch' | 'forward';
  readonly reloadBySignal: boolean;
}

function isJob(w: WorkloadType): boolean {
  return w === 'batch' || w === 'scheduled';
}

/** Whether a pattern kind may be attached to a composition of this workload and sidecar mode. */
function allowed(kind: PatternKind, workload: WorkloadType, mode: SidecarMode): boolean {
  return !(isJob(workload) && mode === SidecarMode.CLASSIC && SIDECAR_KINDS.has(kind));
}

/** Puts mounted-config before config-reloader and adds it when missing (the reloader watches it). */
function normalize(kinds: PatternKind[]): PatternKind[] {
  const out: PatternKind[] = kinds.filter(k => k !== 'mounted-config');
  const r = out.indexOf('config-reloader');
  if (r >= 0) out.splice(r, 0, 'mounted-config');
  else if (kinds.includes('mounted-config')) out.push('mounted-config');
  return out;
}

const compositionArb: fc.Arbitrary<Composition> = fc.record({
  workload: fc.constantFrom<WorkloadType>('stateless', 'stateful', 'node-agent', 'batch', 'scheduled'),
  mode: fc.constantFrom(SidecarMode.CLASSIC, SidecarMode.NATIVE),
  kinds: fc.shuffledSubarray(ALL_KINDS),
  ports: fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { minLength: 4, maxLength: 4 }),
  replicas: fc.integer({ min: 1, max: 4 }),
  autoscale: fc.boolean(),
  hostPaths: fc.boolean(),
  logDestination: fc.constantFrom<Composition['logDestination']>('stdout', 'loki', 'elasticsearch', 'forward'),
  reloadBySignal: fc.boolean(),
}).map(r => ({
  workload: r.workload,
  mode: r.mode,
  patterns: normalize(r.kinds.filter(k => allowed(k, r.workload, r.mode))),
  ports: r.ports,
  replicas: r.replicas,
  autoscale: r.autoscale,
  hostPaths: r.hostPaths,
  logDestination: r.logDestination,
  reloadBySignal: r.reloadBySignal,
}));

/** Creates one pattern of a composition. Patterns that are constructs live in the chart. */
function makePattern(chart: Chart, c: Composition, kind: PatternKind, made: Map<PatternKind, IPodPattern>): IPodPattern {
  const [appPort, ambassadorPort, adapterPort, exporterPort] = c.ports;
  const secret = () => SecretKeyRef.of(chart, 'log-credentials', 'password');
  switch (kind) {
    case 'init-step':
      return new InitStep({ name: 'migrate', image: 'busybox:1.36.1', command: ['sh', '-c', 'echo migrated'] });
    case 'second-init-step':
      return new InitStep({
        name: 'seed-cache',
        image: 'busybox:1.36.1',
        command: ['sh', '-c', 'echo seeded > /cache/ready'],
        mounts: [{ volume: 'cache', path: '/cache' }],
        mainMounts: [{ volume: 'cache', path: '/var/cache/app', readOnly: true }],
      });
    case 'audit-log-collector':
      return new LogCollector({ name: 'audit', logDir: '/var/log/audit', filePattern: 'audit-*.json', destination: LogDestination.stdout() });
    case 'artifact-init':
      return new ArtifactInit({ artifactImage: 'example/app-war:1.4.2', sourcePath: '/artifacts/app.war', targetPath: '/opt/webapps' });
    case 'wait-for':
      return new WaitFor({ endpoints: [Endpoint.of('db.data.svc.cluster.local', 5432)] });
    case 'log-collector': {
      const endpoint = Endpoint.of('logs.example.com', 443, { scheme: 'https' });
      const destination = {
        stdout: () => LogDestination.stdout(),
        loki: () => LogDestination.loki({ endpoint, user: 'shipper', password: secret() }),
        elasticsearch: () => LogDestination.elasticsearch({ endpoint, index: 'app-logs', user: 'shipper', password: secret() }),
        forward: () => LogDestination.forward({ endpoint: Endpoint.of('fluentd.logging.svc.cluster.local', 24224), sharedKey: secret() }),
      }[c.logDestination]();
      return new LogCollector({ logDir: '/var/log/app', destination });
    }
    case 'ambassador':
      return new Ambassador({ listenPort: ambassadorPort, upstreams: [Endpoint.of('redis-0.redis.data.svc.cluster.local', 6379)] });
    case 'http-adapter':
      return new HttpAdapter({ port: adapterPort, routes: [{ path: '/health', upstreamPath: '/metrics' }] });
    case 'exporter':
      return new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: exporterPort });
    case 'env-config':
      return new EnvConfig(chart, 'Env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    case 'mounted-config':
      return new MountedConfig(chart, 'Files', { mountPath: '/etc/app', files: [{ key: 'app.yaml', content: 'level: info\n' }] });
    case 'config-reloader': {
      const config = made.get('mounted-config') as MountedConfig;
      const action = c.reloadBySignal
        ? ReloadAction.signal({ processName: 'nginx', user: 101 })
        : ReloadAction.httpPost(appPort, '/-/reload');
      return new ConfigReloader({ config, action });
    }
  }
}

/** Builds a composition into a fresh chart; `extra` is inserted into the pattern list at `at`. */
function build(c: Composition, extra?: { kind: PatternKind; at: number }): Chart {
  const chart = newChart();
  const kinds = [...c.patterns];
  if (extra) kinds.splice(Math.min(extra.at, kinds.length), 0, extra.kind);
  const made = new Map<PatternKind, IPodPattern>();
  const patterns = normalize(kinds).map(k => {
    const p = makePattern(chart, c, k, made);
    made.set(k, p);
    return p;
  });
  const container: kplus.ContainerProps = {
    image: 'nginxinc/nginx-unprivileged:1.27.2-alpine',
    ports: [{ number: c.ports[0], name: 'http' }],
    securityContext: { user: 101, group: 101 },
    readiness: isJob(c.workload) ? undefined : kplus.Probe.fromTcpSocket({ port: c.ports[0] }),
    resources: {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
      memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
    },
  };
  const native = c.mode === SidecarMode.NATIVE;
  const base = {
    container,
    patterns,
    sidecarMode: c.mode,
    kubernetesVersion: native ? KubernetesVersion.V1_29 : undefined,
  };
  switch (c.workload) {
    case 'stateless':
      new StatelessService(chart, 'w', c.autoscale
        ? { ...base, autoscaling: { minReplicas: 2, maxReplicas: 2 + c.replicas } }
        : { ...base, replicas: c.replicas });
      break;
    case 'stateful':
      new StatefulService(chart, 'w', {
        ...base,
        replicas: c.replicas,
        volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/data' }],
      });
      break;
    case 'node-agent':
      new NodeAgent(chart, 'w', c.hostPaths
        ? { ...base, allowHostPaths: true, hostPaths: [{ path: '/var/log/pods', mountPath: '/host/var/log/pods' }] }
        : base);
      break;
    case 'batch':
      new BatchTask(chart, 'w', base);
      break;
    case 'scheduled':
      new ScheduledTask(chart, 'w', { ...base, schedule: Cron.daily() });
      break;
  }
  return chart;
}

/** Collisions inside each rendered Pod spec: container names, ports, port names, and each container's mount paths. */
function collisions(manifests: any[]): string[] {
  const out: string[] = [];
  for (const obj of manifests) {
    const spec = podTemplateOf(obj)?.spec;
    if (!spec) continue;
    const id = `${obj.kind}/${obj.metadata.name}`;
    const containers: any[] = [...(spec.initContainers ?? []), ...spec.containers];
    const dup = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    for (const n of dup(containers.map(c => c.name))) out.push(`${id}: container name ${n} twice`);
    const ports = containers.flatMap(c => (c.ports ?? []).map((p: any) => `${p.containerPort}/${p.protocol ?? 'TCP'}`));
    for (const p of dup(ports)) out.push(`${id}: port ${p} twice`);
    const portNames = containers.flatMap(c => (c.ports ?? []).filter((p: any) => p.name).map((p: any) => p.name));
    for (const p of dup(portNames)) out.push(`${id}: port name ${p} twice`);
    for (const c of containers) {
      for (const m of dup((c.volumeMounts ?? []).map((v: any) => v.mountPath))) out.push(`${id}: ${c.name} mounts ${m} twice`);
    }
    const volumes = [...(spec.volumes ?? []).map((v: any) => v.name), ...(obj.spec?.volumeClaimTemplates ?? []).map((v: any) => v.metadata.name)];
    for (const v of dup(volumes)) out.push(`${id}: volume ${v} twice`);
    for (const c of containers) {
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.includes(m.name)) out.push(`${id}: ${c.name} mounts missing volume ${m.name}`);
      }
    }
  }
  return out;
}

function describeComposition(c: Composition): string {
  return `${c.workload} ${c.mode} [${c.patterns.join(', ')}]`;
}

describe('properties of valid compositions', () => {
  test('synth succeeds with schema-valid, PSS-restricted, collision-free output', () => {
    fc.assert(fc.property(compositionArb, c => {
      // GIVEN a random valid composition
      const chart = build(c);
      // WHEN it is synthesized with validations
      const manifests = synth(chart);
      // THEN the output is sound
      const schema = validateSchemas(manifests);
      const what = describeComposition(c);
      expect({ what, errors: schema.errors, unchecked: schema.unchecked }).toEqual({ what, errors: [], unchecked: [] });
      expect(checkRestricted(manifests)).toEqual([]);
      expect(collisions(manifests)).toEqual([]);
      // and the policy report finds nothing the library could have prevented (spread is not rendered yet)
      const findings = PolicyReport.fromChart(chart).findings.filter(f => f.rule !== PolicyRule.SPREAD);
      expect(findings).toEqual([]);
      // and every pattern's containers are in the Pod, sidecars where the mode puts them
      const workload = manifests.find(m => podTemplateOf(m));
      const spec = podTemplateOf(workload)!.spec;
      const natives = (spec.initContainers ?? []).filter((x: any) => x.restartPolicy === 'Always').map((x: any) => x.name);
      const sidecars = c.patterns.filter(k => SIDECAR_KINDS.has(k)).length;
      if (c.mode === SidecarMode.NATIVE) {
        expect(natives.length).toBe(sidecars);
        expect(spec.containers.length).toBe(1);
      } else {
        expect(natives).toEqual([]);
        expect(spec.containers.length).toBe(1 + sidecars);
      }
    }), { numRuns: NUM_RUNS });
  });

  test('synthesizing the same composition twice gives byte-identical YAML', () => {
    fc.assert(fc.property(compositionArb, c => {
      // GIVEN the same composition built twice, from scratch
      // WHEN both are synthesized
      const first = Yaml.stringify(...synth(build(c)));
      const second = Yaml.stringify(...synth(build(c)));
      // THEN
      expect(second).toBe(first);
    }), { numRuns: NUM_RUNS });
  });

  test('adding a pattern never renames or removes an existing object', () => {
    const withExtra = compositionArb
      .filter(c => ALL_KINDS.some(k => !c.patterns.includes(k) && allowed(k, c.workload, c.mode)))
      .chain(c => fc.record({
        c: fc.constant(c),
        kind: fc.constantFrom(...ALL_KINDS.filter(k => !c.patterns.includes(k) && allowed(k, c.workload, c.mode))),
        at: fc.nat({ max: c.patterns.length }),
      }));
    fc.assert(fc.property(withExtra, ({ c, kind, at }) => {
      // GIVEN a composition A, and A with one more pattern
      const before = synth(build(c)).map(m => `${m.kind}/${m.metadata.name}`);
      // WHEN the pattern is added
      const after = new Set(synth(build(c, { kind, at })).map(m => `${m.kind}/${m.metadata.name}`));
      // THEN every object of A is still there, under the same name
      expect({ added: kind, missing: before.filter(o => !after.has(o)) }).toEqual({ added: kind, missing: [] });
    }), { numRuns: NUM_RUNS });
  });

  test('the collision check finds duplicate names, ports, mount paths and missing volumes', () => {
    // GIVEN a Pod spec with every kind of collision
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'a', ports: [{ containerPort: 80, name: 'web' }] }],
        containers: [
          { name: 'a', ports: [{ containerPort: 80, name: 'web' }], volumeMounts: [{ name: 'v', mountPath: '/x' }, { name: 'v', mountPath: '/x' }] },
          { name: 'b', ports: [{ containerPort: 80, protocol: 'UDP' }], volumeMounts: [{ name: 'gone', mountPath: '/y' }] },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
      },
    };
    // THEN each is reported
    expect(collisions([pod])).toEqual([
      'Pod/p: container name a twice',
      'Pod/p: port 80/TCP twice',
      'Pod/p: port name web twice',
      'Pod/p: a mounts /x twice',
      'Pod/p: b mounts missing volume gone',
    ]);
  });

  test('the generator reaches every workload, sidecar mode and pattern', () => {
    // GIVEN a sample of compositions
    const sample = fc.sample(compositionArb, { numRuns: 300, seed: 42 });
    // THEN it covers the space the properties claim
    expect(new Set(sample.map(c => c.workload)).size).toBe(5);
    expect(new Set(sample.map(c => c.mode)).size).toBe(2);
    expect(new Set(sample.flatMap(c => c.patterns))).toEqual(new Set(ALL_KINDS));
    expect(sample.some(c => isJob(c.workload) && c.mode === SidecarMode.NATIVE && c.patterns.some(k => SIDECAR_KINDS.has(k)))).toBe(true);
    expect(sample.every(c => !(isJob(c.workload) && c.mode === SidecarMode.CLASSIC && c.patterns.some(k => SIDECAR_KINDS.has(k))))).toBe(true);
  });
});
