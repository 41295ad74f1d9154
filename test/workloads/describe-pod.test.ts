import { Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AppConfig, BatchTask, Endpoint, KubernetesVersion, LogCollector, LogDestination, NodeAgent, ScheduledTask, SecretKeyRef, SidecarMode,
  StatefulService, StatelessService, WaitFor, WorkloadKind,
} from '../../src';
import { ContainerViewRole, EnvSourceKind, VolumeSourceKind } from '../../src/workloads/pod-view';
import { newChart } from '../util';

describe('PatternWorkload._podView', () => {
  test('a stateless service: containers by role in Pod order, with image, ports, mounts and env references', () => {
    // GIVEN a service in a nested scope with an init step, a classic sidecar, env from a Secret and a ConfigMap
    const chart = newChart();
    const settings = AppConfig.fromEnv(chart, 'settings', { configMapPrefix: 'cart-env', variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    const cart = new StatelessService(new Construct(chart, 'shop'), 'cart', {
      container: {
        image: 'example/cart:1.0.0',
        securityContext: { user: 10001 },
        ports: [{ number: 8080, name: 'http' }, { number: 5353, name: 'dns', protocol: kplus.Protocol.UDP }],
        envVariables: { DB_PASSWORD: SecretKeyRef.of(chart, 'cart-db', 'password').envValue(), MODE: kplus.EnvValue.fromValue('fast') },
      },
      patterns: [
        new WaitFor({ name: 'wait-db', endpoints: [Endpoint.of('db.example.com', 5432)] }),
        settings,
        new LogCollector({ logDir: '/var/log/cart', destination: LogDestination.stdout() }),
      ],
    });

    // WHEN its view is built
    const view = cart._podView();

    // THEN it names the workload by its path below the chart and its kind
    expect(view.id).toBe('shop/cart');
    expect(view.kind).toBe(WorkloadKind.DEPLOYMENT);
    expect(view.objectName).toBe(cart.deployment.name);
    expect(view.scale).toBe('2 replicas');
    expect(view.sidecarMode).toBe(SidecarMode.CLASSIC);
    expect(view.mainContainer).toBe('app');
    // AND lists the containers: init step, app, sidecar
    expect(view.containers.map(c => [c.name, c.role])).toEqual([
      ['wait-db', ContainerViewRole.INIT],
      ['app', ContainerViewRole.APP],
      ['log-collector', ContainerViewRole.SIDECAR],
    ]);
    const app = view.containers[1];
    expect(app.image).toBe('example/cart:1.0.0');
    expect(app.ports).toEqual([
      { port: 8080, name: 'http', protocol: 'TCP' },
      { port: 5353, name: 'dns', protocol: 'UDP' },
    ]);
    // AND the env read from objects, not the plain values
    expect(app.envRefs).toEqual([
      { source: EnvSourceKind.SECRET, objectName: 'cart-db', variable: 'DB_PASSWORD', key: 'password' },
      { source: EnvSourceKind.CONFIG_MAP, objectName: settings.configMapName, variable: 'LOG_LEVEL', key: 'LOG_LEVEL' },
    ]);
    // AND the mounts, read-only or not, in mount order
    expect(app.mounts).toEqual([{ volume: 'log-collector-logs', path: '/var/log/cart', readOnly: false }]);
    expect(view.containers[2].mounts).toEqual([
      { volume: 'log-collector-logs', path: '/var/log/cart', readOnly: true },
      { volume: 'log-collector-state', path: '/fluent-bit/state', readOnly: false },
      { volume: 'log-collector-config', path: '/fluent-bit/config', readOnly: true },
    ]);
    // AND the volumes, sorted by name, with what backs them
    expect(view.volumes.map(v => [v.name, v.source])).toEqual([
      ['log-collector-config', VolumeSourceKind.CONFIG_MAP],
      ['log-collector-logs', VolumeSourceKind.EMPTY_DIR],
      ['log-collector-state', VolumeSourceKind.EMPTY_DIR],
    ]);
    expect(view.volumes[2].size).toBe('64Mi');
    // AND the Service with the ports it exposes
    expect(view.services).toEqual([{
      name: cart.service!.name,
      type: 'ClusterIP',
      ports: [{ port: 8080, targetPort: 8080, name: 'http' }, { port: 5353, targetPort: 5353, name: 'dns' }],
    }]);
    // AND the patterns, in order
    expect(view.patterns.map(p => p.name)).toEqual(['wait-db', 'env-config', 'log-collector']);
  });

  test('an autoscaled service gives its replica range', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } },
      autoscaling: { minReplicas: 2, maxReplicas: 5 },
    });
    expect(web._podView().scale).toBe('2 to 5 replicas, autoscaled');
  });

  test('a stateful service: per-replica claims with their size, both Services, and the connections made', () => {
    // GIVEN a stateful service connected to an endpoint, waiting for it
    const chart = newChart();
    const db = new StatefulService(chart, 'db', {
      replicas: 3,
      container: { image: 'example/db:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'pg' }] },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/db' }],
      clientService: { port: 15432 },
    });
    const backup = Endpoint.of('backup.example.com', 443, { scheme: 'https' });
    db.connect(backup, { envPrefix: 'BACKUP', waitFor: true });

    // WHEN its view is built
    const view = db._podView();

    // THEN
    expect(view.kind).toBe(WorkloadKind.STATEFUL_SET);
    expect(view.scale).toBe('3 replicas');
    expect(view.volumes).toEqual([{ name: 'data', source: VolumeSourceKind.CLAIM_TEMPLATE, size: '10Gi' }]);
    expect(view.containers.find(c => c.name === 'app')!.mounts).toEqual([{ volume: 'data', path: '/var/lib/db', readOnly: false }]);
    expect(view.services).toEqual([
      { name: db.headlessService.name, type: 'headless', ports: [{ port: 5432, targetPort: 5432, name: 'pg' }] },
      { name: db.service!.name, type: 'ClusterIP', ports: [{ port: 15432, targetPort: 5432, name: 'pg' }] },
    ]);
    expect(view.connections).toEqual([{ envPrefix: 'BACKUP', endpoint: backup, waitStep: 'wait-backup' }]);
    expect(view.containers[0]).toMatchObject({ name: 'wait-backup', role: ContainerViewRole.INIT });
  });

  test('a node agent: one per node, node paths as volumes, no Service', () => {
    const chart = newChart();
    const agent = new NodeAgent(chart, 'agent', {
      container: { image: 'example/agent:1.0.0', securityContext: { user: 10001 } },
      allowHostPaths: true,
      hostPaths: [{ path: '/var/log/pods', mountPath: '/host/pods' }],
    });
    const view = agent._podView();
    expect(view.scale).toBe('one per node');
    expect(view.services).toEqual([]);
    expect(view.volumes).toEqual([{ name: 'host-var-log-pods', source: VolumeSourceKind.HOST_PATH, reference: '/var/log/pods' }]);
  });

  test('tasks: a Job with a native sidecar, a CronJob with its schedule', () => {
    const chart = newChart();
    const job = new BatchTask(chart, 'report', {
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: { image: 'example/report:1.0.0', securityContext: { user: 10001 } },
      patterns: [new LogCollector({ logDir: '/var/log/report', destination: LogDestination.stdout() })],
    });
    const nightly = new ScheduledTask(chart, 'nightly', {
      container: { image: 'example/report:1.0.0', securityContext: { user: 10001 } },
      schedule: Cron.schedule({ minute: '0', hour: '3' }),
    });
    expect(job._podView().scale).toBeUndefined();
    expect(job._podView().containers.map(c => [c.name, c.role])).toEqual([
      ['app', ContainerViewRole.APP],
      ['log-collector', ContainerViewRole.NATIVE_SIDECAR],
    ]);
    expect(nightly._podView().kind).toBe(WorkloadKind.CRON_JOB);
    expect(nightly._podView().scale).toBe('schedule 0 3 * * *');
  });

  test('volumes from Secrets and claims the app brings itself; env from every key of a ConfigMap', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: { image: 'example/web:1.0.0', securityContext: { user: 10001 } } });
    web.mainContainer.mount('/etc/tls', kplus.Volume.fromSecret(chart, 'tls', kplus.Secret.fromSecretName(chart, 'tls-secret', 'web-tls'), { name: 'tls' }));
    web.mainContainer.env.copyFrom(kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'defaults', 'web-defaults')));
    const view = web._podView();
    expect(view.volumes).toEqual([{ name: 'tls', source: VolumeSourceKind.SECRET, reference: 'web-tls' }]);
    expect(view.containers[0].envRefs).toEqual([{ source: EnvSourceKind.CONFIG_MAP, objectName: 'web-defaults' }]);
  });
});
