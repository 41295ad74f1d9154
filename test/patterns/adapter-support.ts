import * as kplus from 'cdk8s-plus-27';
import { IPodPattern, KubernetesVersion, SidecarMode, StatelessService } from '../../src';
import { newChart } from '../util';

/** An adapter route answering /health from the app's /metrics. */
export const HEALTH = [{ path: '/health', upstreamPath: '/metrics' }];

export interface WebOptions {
  readonly sidecarMode?: SidecarMode;
  readonly kubernetesVersion?: KubernetesVersion;
  readonly ports?: kplus.ContainerPort[];
}

/** A chart with one web service whose Pod carries the given patterns. */
export function webWith(options: WebOptions, ...patterns: IPodPattern[]) {
  const chart = newChart();
  const web = new StatelessService(chart, 'web', {
    container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: options.ports ?? [{ number: 8080, name: 'http' }] },
    sidecarMode: options.sidecarMode,
    kubernetesVersion: options.kubernetesVersion,
    patterns,
  });
  return { chart, web };
}
