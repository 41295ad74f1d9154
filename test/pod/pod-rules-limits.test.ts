import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BatchTask, KubernetesVersion, SidecarMode, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';
import { APP, initStep, sidecar } from './support';

describe('pod rule: requests never exceed limits', () => {
  test('fails when the main container requests more CPU than its limit, naming both values', () => {
    // GIVEN an app requesting 2 CPU with a limit of 1500m
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { ...APP, resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.millis(1500) } } },
    });
    // WHEN synthesized THEN it fails with the exact message
    expect(errorOf(() => synth(chart))).toBe('Validation failed with the following errors:\n'
      + '  [test/web] app container "app" requests 2 CPU, more than its CPU limit of 1500m; Kubernetes rejects a request above '
      + 'its limit. Fix: lower the CPU request to at most 1500m, or raise the CPU limit.');
  });

  test('fails when a sidecar requests more memory than its limit', () => {
    // GIVEN a sidecar requesting 256Mi with a limit of 128Mi
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [sidecar('shipper', { resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) } } })],
    });
    // THEN
    expect(errorOf(() => synth(chart))).toBe('Validation failed with the following errors:\n'
      + '  [test/web] sidecar "shipper" requests 256Mi of memory, more than its memory limit of 128Mi; Kubernetes rejects a '
      + 'request above its limit. Fix: lower the memory request to at most 128Mi, or raise the memory limit.');
  });

  test('fails when an init step or a native sidecar requests more than its limits, listing each resource', () => {
    // GIVEN a Job with a native sidecar over its CPU limit and an init step over both limits
    const chart = newChart();
    new BatchTask(chart, 'task', {
      container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } },
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      patterns: [
        sidecar('proxy', { resources: { cpu: { request: kplus.Cpu.millis(300), limit: kplus.Cpu.millis(200) } } }),
        initStep('fetch', {
          resources: {
            cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.millis(100) },
            memory: { request: Size.gibibytes(1), limit: Size.mebibytes(512) },
          },
        }),
      ],
    });
    // WHEN
    const message = errorOf(() => synth(chart));
    // THEN every violation is listed, each naming its container and role
    expect(message.split('\n').slice(1).map(l => l.replace(/;.*/, ''))).toEqual([
      '  [test/task] native sidecar "proxy" requests 300m CPU, more than its CPU limit of 200m',
      '  [test/task] init step "fetch" requests 1 CPU, more than its CPU limit of 100m',
      '  [test/task] init step "fetch" requests 1Gi of memory, more than its memory limit of 512Mi',
    ]);
  });

  test('a request equal to its limit, a request without a limit, and a limit without a request are fine', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: {
        ...APP,
        resources: {
          cpu: { request: kplus.Cpu.millis(1000), limit: kplus.Cpu.units(1) },
          memory: { request: Size.gibibytes(4) },
        },
      },
      patterns: [sidecar('shipper', { resources: { memory: { limit: Size.mebibytes(64) } } })],
    });
    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    // THEN the resources are rendered as given
    expect(spec.containers.map((c: any) => c.resources)).toEqual([
      { limits: { cpu: '1' }, requests: { cpu: '1000m', memory: '4096Mi' } },
      { limits: { memory: '64Mi' } },
    ]);
  });

  test('compares quantities, not their spelling', () => {
    // GIVEN 1Gi of request against a 1024Mi limit, and 0.5 CPU against 500m
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: {
        ...APP,
        resources: {
          cpu: { request: kplus.Cpu.units(0.5), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.gibibytes(1), limit: Size.mebibytes(1024) },
        },
      },
    });
    // THEN
    expect(() => synth(chart)).not.toThrow();
  });
});
