import * as fs from 'fs';
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KubernetesVersion, SidecarMode, StatelessService } from '../../src';
import { app, errorOf, newChart, synth } from '../util';
import { APP, FnPattern, initStep, sidecar } from './support';

const mem = (mi: number) => ({ memory: { request: Size.mebibytes(mi), limit: Size.mebibytes(mi) } });

describe('pod rules', () => {
  test('fails when two containers of a Pod listen on the same port, naming both and the port', () => {
    // GIVEN an app on 8080 and a sidecar also on 8080
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [sidecar('metrics', { ports: [{ number: 8080 }] })],
    });
    // THEN synth fails, naming the port and both containers
    expect(errorOf(() => synth(chart))).toContain(
      '[test/web] container port 8080/TCP is declared by containers "app" and "metrics"; the containers of a Pod share one '
      + 'network namespace, so only one of them can listen on it. Fix: move one of them to a different port.');
  });

  test('a Pod changed after one synth is checked again on the next', () => {
    // GIVEN a sound Pod, synthesized once
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP, patterns: [sidecar('metrics', { ports: [{ number: 9100 }] })] });
    expect(() => synth(chart)).not.toThrow();
    // WHEN a clashing port is added afterwards
    web.mainContainer.addPort({ number: 9100 });
    // THEN the next synth sees it
    expect(errorOf(() => synth(chart))).toContain('container port 9100/TCP is declared by containers "app" and "metrics"');
  });

  test('the same port number with different protocols is fine', () => {
    const chart = newChart();
    new StatelessService(chart, 'dns', {
      container: { image: 'coredns/coredns:1.11.3', securityContext: { user: 10001 }, ports: [{ number: 5353, name: 'dns-tcp' }] },
      patterns: [sidecar('udp', { ports: [{ number: 5353, name: 'dns-udp', protocol: kplus.Protocol.UDP }] })],
    });
    expect(() => synth(chart)).not.toThrow();
  });

  test('fails when two containers declare the same port name', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [sidecar('other', { ports: [{ number: 9000, name: 'http' }] })] });
    expect(errorOf(() => synth(chart))).toContain(
      'port name "http" is declared by containers "app" and "other"; a named port must identify one port of the Pod. Fix: rename one of the ports.');
  });

  test('fails when a container name is used twice (init and app)', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [initStep('app')] });
    expect(errorOf(() => synth(chart))).toContain(
      '[test/web] container name "app" is used 2 times (init step, app container); container names must be unique across the '
      + 'init containers and containers of a Pod. Fix: give each container (or pattern) a distinct name.');
  });

  test('fails when a container mounts the same path twice', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new FnPattern('two-mounts', host => {
        host.sharedVolume('a');
        host.sharedVolume('b');
        host.mountOnMain({ volume: 'a', path: '/data' });
        host.mountOnMain({ volume: 'b', path: '/data' });
      })],
    });
    expect(errorOf(() => synth(chart))).toContain(
      'container "app" mounts path "/data" twice (volumes "a" and "b"). Fix: mount each volume at its own path.');
  });

  test('fails when a mounted volume does not exist', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    expect(errorOf(() => web.addPattern(new FnPattern('reader', host => host.mountOnMain({ volume: 'cache', path: '/cache' })))))
      .toBe('[test/web/reader] container "app" mounts volume "cache" at "/cache", but the Pod has no volume of that name (known: none). '
        + 'Fix: create it first with sharedVolume("cache") or declare it as a volume claim template.');
  });

  test('fails when two different volumes share one name', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    web.mainContainer.mount('/a', kplus.Volume.fromEmptyDir(chart, 'a', 'scratch'));
    web.mainContainer.mount('/b', kplus.Volume.fromEmptyDir(chart, 'b', 'scratch'));
    expect(errorOf(() => synth(chart))).toContain(
      'volume name "scratch" is used by 2 different volumes. Fix: give each volume a distinct name, or share one volume object.');
  });

  test('reports every problem at once, and synth writes nothing', () => {
    // GIVEN a Pod with a port clash and a name clash
    const a = app();
    const chart = new Chart(a, 'bad');
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [sidecar('app', { ports: [{ number: 8080 }] })],
    });
    // WHEN synthesized like `cdk8s synth`
    const message = errorOf(() => a.synth());
    // THEN both problems are listed and no file was written
    expect(message).toContain('container name "app" is used 2 times');
    expect(message).toContain('container port 8080/TCP is declared by containers "app" and "app"');
    expect(fs.readdirSync(a.outdir)).toEqual([]);
  });
});

describe('pod resources', () => {
  test('sum of app containers, max with init steps', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: { ...APP, resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(1) }, ...mem(1024) } },
      patterns: [
        sidecar('logs', { resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, ...mem(512) } }),
        initStep('migrate', { resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(2) }, ...mem(256) } }),
      ],
    });
    expect(web.podResources).toEqual({
      cpuRequestMillis: 2000, // the init step's 2 CPUs beat 500m + 100m
      cpuLimitMillis: 2000,
      memoryRequestMebibytes: 1536, // 1Gi + 512Mi beat the init step's 256Mi
      memoryLimitMebibytes: 1536,
    });
  });

  test('native sidecars run alongside the init steps that follow them', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: { ...APP, resources: mem(100) },
      patterns: [
        initStep('big-init', { resources: mem(1000) }),
        sidecar('logs', { resources: mem(300) }),
      ],
    });
    // sidecars start first, so the init step runs next to them: 1000 + 300
    expect(web.podResources.memoryRequestMebibytes).toBe(1300);
  });

  test('an unbounded limit is reported as undefined', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: { ...APP, resources: { memory: { request: Size.mebibytes(64) } } },
    });
    expect(web.podResources.memoryLimitMebibytes).toBeUndefined();
    expect(web.podResources.memoryRequestMebibytes).toBe(64);
  });

  test('fails when the Pod cannot fit the per-node budget (co-scheduling)', () => {
    // GIVEN an app at 1Gi and a log collector at 0.5Gi, and nodes of 1.25Gi
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { ...APP, resources: mem(1024) },
      patterns: [sidecar('log-collector', { resources: mem(512) })],
      maxPodResources: { memory: Size.mebibytes(1280) },
    });
    // THEN the synth fails and explains why
    expect(errorOf(() => synth(chart))).toContain(
      '[test/web] the Pod requests 1.5Gi of memory (app container "app" 1Gi + sidecar "log-collector" 512Mi), but '
      + 'maxPodResources.memory is 1.25Gi. All containers of a Pod are scheduled together onto one node, so a node with 1.25Gi '
      + "can never host this Pod. Fix: lower the containers' memory requests or raise maxPodResources.memory.");
  });

  test('fails when the CPU budget is exceeded', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { ...APP, resources: { cpu: { request: kplus.Cpu.millis(1500) } } },
      maxPodResources: { cpu: kplus.Cpu.units(1) },
    });
    expect(errorOf(() => synth(chart))).toContain('the Pod requests 1500m CPU (app container "app" 1500m), but maxPodResources.cpu is 1.');
  });

  test('a Pod within budget synthesizes', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { ...APP, resources: mem(1024) },
      patterns: [sidecar('log-collector', { resources: mem(512) })],
      maxPodResources: { memory: Size.gibibytes(2), cpu: kplus.Cpu.units(4) },
    });
    expect(() => synth(chart)).not.toThrow();
  });
});
