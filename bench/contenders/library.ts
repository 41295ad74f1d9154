/**
 * Contender (a): the mix written with this library.
 */
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Endpoint } from '../../src/dependencies/endpoint';
import { HttpAdapter } from '../../src/patterns/http-adapter';
import { LogCollector } from '../../src/patterns/log-collector';
import { LogDestination } from '../../src/patterns/log-destination';
import { StatefulService } from '../../src/workloads/stateful-service';
import { StatelessService } from '../../src/workloads/stateless-service';
import { StatefulSpec, StatelessSpec, workloadSpec } from '../mix';

function resources(cpuMillis: number, memMi: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuMillis), limit: kplus.Cpu.millis(cpuMillis * 4) },
    memory: { request: Size.mebibytes(memMi), limit: Size.mebibytes(memMi * 2) },
  };
}

function stateless(chart: Chart, s: StatelessSpec): void {
  new StatelessService(chart, s.id, {
    replicas: s.replicas,
    container: {
      image: s.image,
      ports: [{ number: s.appPort, name: 'http' }],
      securityContext: { user: 10001, group: 10001 },
      resources: resources(100, 128),
      envVariables: { TEAM: kplus.EnvValue.fromValue(s.team) },
    },
    patterns: [
      new LogCollector({
        logDir: s.logDir,
        destination: LogDestination.loki({ endpoint: Endpoint.of(s.lokiHost, s.lokiPort) }),
      }),
      new HttpAdapter({ port: s.adapterPort, routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
    ],
  });
}

function stateful(chart: Chart, s: StatefulSpec): void {
  new StatefulService(chart, s.id, {
    replicas: s.replicas,
    container: {
      image: s.image,
      ports: [{ number: s.appPort, name: 'postgres' }],
      securityContext: { user: s.user, group: s.user },
      resources: resources(250, 512),
    },
    volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(s.storageGi), mountPath: s.dataPath }],
  });
}

/** Adds the first `n` workloads of the mix to `chart`. */
export function build(chart: Chart, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = workloadSpec(i);
    if (s.kind === 'stateless') stateless(chart, s);
    else stateful(chart, s);
  }
}
