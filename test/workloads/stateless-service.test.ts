import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  DisruptionBudget, IPodPattern, KubernetesVersion, PodPatternHost, StatelessService, StatelessServiceProps, UnhealthyPodEvictionPolicy,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

/** A pattern that adds a sidecar listening on `port`, exposed on the Service only when asked. */
class PortPattern implements IPodPattern {
  constructor(public readonly name: string, private readonly port: number, private readonly expose?: boolean) {}
  public attach(host: PodPatternHost): void {
    host.addSidecar({ name: this.name, image: 'busybox:1.36.1', ports: [{ number: this.port, name: this.name }] });
    host.declarePort(this.name, { name: this.name, port: this.port, expose: this.expose });
  }
}

describe('StatelessService', () => {
  test('defaults: Deployment of 2, ClusterIP Service on the main ports, PDB maxUnavailable 1', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', { container: APP });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('Service', () => {
    test('takes the main container\'s named ports', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'admin' }] },
      });
      // THEN
      const svc = only(synth(chart), 'Service');
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.ports).toEqual([
        { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
        { name: 'admin', port: 9090, targetPort: 9090, protocol: 'TCP' },
      ]);
    });

    test('exposes a pattern port only when the pattern asks for it', () => {
      // GIVEN a pattern port that stays internal and one that is exposed
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new PortPattern('debug', 6060), new PortPattern('metrics', 9102, true)],
      });
      // THEN both are container ports, but only the exposed one is on the Service
      const manifests = synth(chart);
      const spec = podSpec(only(manifests, 'Deployment'));
      expect(spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort))).toEqual([8080, 6060, 9102]);
      expect(only(manifests, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
    });

    test('a pattern port exposed after construction is bound too', () => {
      // GIVEN
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP });
      // WHEN
      web.addPattern(new PortPattern('metrics', 9102, true));
      // THEN
      expect(only(synth(chart), 'Service').spec.ports.map((p: any) => p.port)).toEqual([8080, 9102]);
    });

    test('service.port lets the Service listen on another port than the container', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const web = new StatelessService(chart, 'web', { container: APP, service: { port: 80 } });
      // THEN
      expect(only(synth(chart), 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
      expect(web.port).toBe(80);
    });

    test('service.type is passed through', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, service: { type: kplus.ServiceType.NODE_PORT } });
      expect(only(synth(chart), 'Service').spec.type).toBe('NodePort');
    });

    test('no Service when the main container has no ports', () => {
      const chart = newChart();
      const worker = new StatelessService(chart, 'worker', { container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } } });
      expect(synth(chart).filter(m => m.kind === 'Service')).toEqual([]);
      expect(worker.service).toBeUndefined();
    });

    test('fails when service options are given but the main container has no ports', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'worker', { container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } }, service: {} })))
        .toBe('[test/worker] service options were given, but the main container declares no ports, so the Service would have '
          + 'nothing to expose. Fix: add ports to the container (e.g. portNumber: 8080) or drop the service option.');
    });

    test('fails when a port of a multi-port Service has no name', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080 }, { number: 9090, name: 'admin' }] },
      }))).toBe('[test/web] port 8080 of container "app" has no name, but the Service exposes several ports and Kubernetes '
        + 'requires every port of a multi-port Service to be named. Fix: name the port (ports: [{ number, name: "http" }]).');
    });

    test('fails when service.port collides with another exposed port', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'admin' }] },
        service: { port: 9090 },
      }))).toBe('[test/web] Service port 9090 is taken twice: by port 8080 of container "app" and by port 9090 of container "app". '
        + 'Fix: choose another service.port.');
    });

    test('fails when service.port is not a port number', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, service: { port: 70000 } })))
        .toBe('[test/web] service.port must be an integer between 1 and 65535 (got 70000). Fix: use the port the program listens on, e.g. 8080.');
    });
  });

  describe('as an endpoint', () => {
    test('host is the Service\'s bare name when the namespace is unknown', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const web = new StatelessService(chart, 'web', { container: APP, scheme: 'http' });
      // THEN
      const svc = only(synth(chart), 'Service');
      expect(web.host).toBe(svc.metadata.name);
      expect(web.port).toBe(8080);
      expect(web.scheme).toBe('http');
      expect(web.url).toBe(`http://${svc.metadata.name}:8080`);
    });

    test('host is fully qualified in the chart\'s namespace', () => {
      // GIVEN a chart with a namespace
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      // WHEN
      const web = new StatelessService(chart, 'web', { container: APP });
      // THEN
      const svc = only(synth(chart), 'Service');
      expect(svc.metadata.namespace).toBe('shop');
      expect(web.host).toBe(`${svc.metadata.name}.shop.svc.cluster.local`);
      expect(web.url).toBe(`${svc.metadata.name}.shop.svc.cluster.local:8080`);
    });

    test('the namespace prop names the namespace a namespace-less chart is applied to', () => {
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP, namespace: 'shop' });
      expect(web.host).toBe(`${web.service!.name}.shop.svc.cluster.local`);
    });

    test('connect() injects the Service address into another workload', () => {
      // GIVEN
      const chart = newChart();
      const api = new StatelessService(chart, 'api', { container: APP, service: { port: 80 }, scheme: 'http' });
      const web = new StatelessService(chart, 'web', { container: APP });
      // WHEN
      web.connect(api, { envPrefix: 'API' });
      // THEN
      const deployments = synth(chart).filter(m => m.kind === 'Deployment');
      const env = podSpec(deployments.find(d => d.metadata.name.includes('web')))!.containers[0].env;
      expect(env).toEqual([
        { name: 'API_HOST', value: api.service!.name },
        { name: 'API_PORT', value: '80' },
        { name: 'API_URL', value: `http://${api.service!.name}:80` },
      ]);
    });

    test('fails when used as an endpoint without a Service', () => {
      const chart = newChart();
      const worker = new StatelessService(chart, 'worker', { container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } } });
      expect(errorOf(() => worker.host)).toBe('[test/worker] this StatelessService has no Service, because its main container '
        + 'declares no ports, so it cannot be used as an endpoint. Fix: declare the port the app listens on '
        + '(ports: [{ number: 8080, name: "http" }]).');
    });

    test('fails when the namespace prop disagrees with the chart\'s namespace', () => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, namespace: 'other' })))
        .toBe('[test/web] namespace "other" differs from the namespace of the chart ("shop"), into which the objects are rendered, '
          + 'so the DNS names built from it would not resolve. Fix: drop the namespace prop (the chart\'s is used) or make them agree.');
    });

    test('fails when the scheme is not a URL scheme', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, scheme: 'http://' })))
        .toBe('[test/web] scheme must be a URL scheme: a lowercase letter, then letters, digits, \'+\', \'-\' or \'.\' (got "http://"). '
          + 'Fix: use a scheme like "http", "https" or "postgres".');
    });
  });

  describe('replicas and autoscaling', () => {
    test('replicas is rendered', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, replicas: 5 });
      expect(only(synth(chart), 'Deployment').spec.replicas).toBe(5);
    });

    test('an HPA with cpu and memory targets owns the replica count', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        autoscaling: { minReplicas: 3, maxReplicas: 10, cpuTargetUtilization: 60, memoryTargetUtilization: 80 },
      });
      // THEN
      const manifests = synth(chart);
      const deployment = only(manifests, 'Deployment');
      const hpa = only(manifests, 'HorizontalPodAutoscaler');
      expect(deployment.spec).not.toHaveProperty('replicas');
      expect(hpa.spec.minReplicas).toBe(3);
      expect(hpa.spec.maxReplicas).toBe(10);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ]);
    });

    test('the HPA targets 70% CPU from 2 replicas unless told otherwise', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, autoscaling: { maxReplicas: 4 } });
      const hpa = only(synth(chart), 'HorizontalPodAutoscaler');
      expect(hpa.spec.minReplicas).toBe(2);
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ]);
    });

    test('a memory target alone means no CPU target', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, autoscaling: { maxReplicas: 4, memoryTargetUtilization: 75 } });
      const hpa = only(synth(chart), 'HorizontalPodAutoscaler');
      expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(['memory']);
    });

    test('fails when replicas < 0', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, replicas: -1 })))
        .toBe('[test/web] replicas must be an integer >= 0 (got -1). Fix: use 0 to scale to zero, or the number of replicas.');
    });

    test('fails when the HPA minimum is above its maximum', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, autoscaling: { minReplicas: 5, maxReplicas: 3 } })))
        .toBe('[test/web] autoscaling.maxReplicas (3) must be an integer >= minReplicas (5). Fix: raise maxReplicas or lower minReplicas.');
    });

    test('fails when the HPA minimum is below 1', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, autoscaling: { minReplicas: 0, maxReplicas: 3 } })))
        .toBe('[test/web] autoscaling.minReplicas must be an integer >= 1 (got 0). Fix: use 1 or more; an HPA cannot scale to zero.');
    });

    test('fails when replicas and autoscaling are both given', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, replicas: 3, autoscaling: { maxReplicas: 5 } })))
        .toBe('[test/web] replicas (3) and autoscaling were both given; with an autoscaler the HPA owns the replica count, and a '
          + 'fixed replicas would fight it on every apply. Fix: drop replicas and set autoscaling.minReplicas.');
    });

    test('fails when a utilization target is not a whole percentage', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, autoscaling: { maxReplicas: 5, memoryTargetUtilization: 7.5 } })))
        .toBe('[test/web] autoscaling.memoryTargetUtilization must be a whole percentage of the request, 1 or more (got 7.5). Fix: use '
          + 'e.g. 70; a value above 100 is valid too, and lets each Pod use more than its request before the HPA adds replicas.');
    });

    test('accepts a CPU target above 100 percent, as Kubernetes does', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', { container: APP, autoscaling: { maxReplicas: 5, cpuTargetUtilization: 150 } });
      // THEN
      const hpa = only(synth(chart), 'HorizontalPodAutoscaler');
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 150 } } }]);
    });
  });

  describe('PodDisruptionBudget', () => {
    test('on by default with 2 or more replicas, selecting the Deployment\'s Pods', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', { container: APP, replicas: 3 });
      // THEN
      const manifests = synth(chart);
      const pdb = only(manifests, 'PodDisruptionBudget');
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: only(manifests, 'Deployment').spec.selector.matchLabels } });
    });

    test('from Kubernetes 1.31 the default budget renders unhealthyPodEvictionPolicy AlwaysAllow', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, replicas: 3, kubernetesVersion: KubernetesVersion.V1_33 });
      expect(only(synth(chart), 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    });

    test('an explicit IfHealthyBudget wins over the default', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        replicas: 3,
        kubernetesVersion: KubernetesVersion.V1_31,
        disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET }),
      });
      expect(only(synth(chart), 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('IfHealthyBudget');
    });

    test('fails when an eviction policy is given for the default Kubernetes 1.27', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: APP,
        replicas: 3,
        disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.ALWAYS_ALLOW }),
      }))).toMatch(/^\[test\/web\] unhealthyPodEvictionPolicy renders unhealthyPodEvictionPolicy, which needs Kubernetes >= 1\.31 \(got kubernetesVersion 1\.27\)/);
    });

    test('absent with 1 replica', () => {
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP, replicas: 1 });
      expect(synth(chart).filter(m => m.kind === 'PodDisruptionBudget')).toEqual([]);
      expect(web.disruptionBudget).toBeUndefined();
    });

    test('on when autoscaling from 2', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, autoscaling: { maxReplicas: 5 } });
      expect(only(synth(chart), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    });

    test('minAvailable below the replica count is rendered', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, replicas: 4, disruptionBudget: DisruptionBudget.minAvailable(3) });
      const pdb = only(synth(chart), 'PodDisruptionBudget');
      expect(pdb.spec.minAvailable).toBe(3);
      expect(pdb.spec).not.toHaveProperty('maxUnavailable');
    });

    test('none() renders no budget', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, replicas: 3, disruptionBudget: DisruptionBudget.none() });
      expect(synth(chart).filter(m => m.kind === 'PodDisruptionBudget')).toEqual([]);
    });

    test('fails when minAvailable would block every voluntary eviction', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(3) })))
        .toBe('[test/web] disruptionBudget minAvailable 3 is >= the replica count 3, which would block every voluntary eviction '
          + '(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 3.');
    });

    test('fails when minAvailable reaches the autoscaler\'s minimum', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: APP, autoscaling: { minReplicas: 2, maxReplicas: 6 }, disruptionBudget: DisruptionBudget.minAvailable(2),
      }))).toBe('[test/web] disruptionBudget minAvailable 2 is >= the minimum replica count 2, which would block every voluntary '
        + 'eviction (node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.');
    });

    test('fails when maxUnavailable is 0', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, disruptionBudget: DisruptionBudget.maxUnavailable(0) })))
        .toBe('[DisruptionBudget.maxUnavailable] count must be an integer >= 1 (got 0). Fix: use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.');
    });
  });

  describe('rolling updates', () => {
    test('default: maxSurge 25%, maxUnavailable 25%', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP });
      expect(only(synth(chart), 'Deployment').spec.strategy)
        .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    });

    test('custom surge and unavailability', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        strategy: kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: kplus.PercentOrAbsolute.absolute(1),
          maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
        }),
      });
      expect(only(synth(chart), 'Deployment').spec.strategy)
        .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    test('recreate', () => {
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, strategy: kplus.DeploymentStrategy.recreate() });
      expect(only(synth(chart), 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    });
  });

  describe('ephemeral storage only', () => {
    test('emptyDir, ConfigMap and Secret volumes are fine', () => {
      // GIVEN
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP });
      // WHEN
      web.mainContainer.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
      web.mainContainer.mount('/etc/app', kplus.Volume.fromConfigMap(chart, 'cfg', kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'app')));
      web.mainContainer.mount('/etc/tls', kplus.Volume.fromSecret(chart, 'tls', kplus.Secret.fromSecretName(chart, 's', 'tls')));
      // THEN
      expect(podSpec(only(synth(chart), 'Deployment')).volumes.map((v: any) => v.name).sort()).toEqual(['configmap-app', 'secret-tls', 'tmp']);
    });

    test('fails when a volume is backed by a PersistentVolumeClaim', () => {
      // GIVEN
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP });
      // WHEN
      const claim = kplus.PersistentVolumeClaim.fromClaimName(chart, 'claim', 'shared-data');
      web.mainContainer.mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'data', claim, { name: 'data' }));
      // THEN
      expect(errorOf(() => synth(chart))).toContain('[test/web] volume "data" is backed by PersistentVolumeClaim "shared-data", '
        + 'but a StatelessService only has ephemeral storage: its replicas are interchangeable and would all share (or fight over) '
        + 'one claim. Fix: use StatefulService with volumeClaimTemplates for per-replica storage.');
    });

    test('fails when a volume is a node path', () => {
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP });
      web.mainContainer.mount('/host', kplus.Volume.fromHostPath(chart, 'host', 'host', { path: '/var/log' }));
      expect(errorOf(() => synth(chart))).toContain('[test/web] volume "host" is a hostPath volume, but a StatelessService only has '
        + 'ephemeral storage (emptyDir, configMap, secret, downwardAPI, projected, ephemeral, csi): its replicas are interchangeable '
        + 'and may run on any node. Fix: use StatefulService for per-replica storage, or NodeAgent to read node paths.');
    });
  });
});

describe('StatelessService spreading', () => {
  const affinityOf = (props: Partial<StatelessServiceProps>) => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] }, ...props });
    return only(synth(chart), 'Deployment').spec.template.spec.affinity;
  };

  test('replicas prefer different nodes by default', () => {
    expect(affinityOf({ replicas: 3 }).podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      podAffinityTerm: {
        labelSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'test-web-c8ba1bf5' } },
        topologyKey: 'kubernetes.io/hostname',
      },
      weight: 100,
    }]);
  });

  test('a single replica, or an explicit opt-out, renders no affinity', () => {
    expect(affinityOf({ replicas: 1 })).toBeUndefined();
    expect(affinityOf({ replicas: 3, spreadAcrossNodes: false })).toBeUndefined();
  });

  test('an autoscaled service that can grow to 2+ replicas spreads', () => {
    expect(affinityOf({ autoscaling: { minReplicas: 1, maxReplicas: 4 } })).toBeDefined();
  });
});
