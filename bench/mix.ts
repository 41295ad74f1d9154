/**
 * The workload mix of the benchmark: what every contender synthesizes for a
 * given N. It is plain data, so the library and the hand-written program read
 * the same description and differ only in how they turn it into manifests.
 *
 * Nine in ten workloads are stateless web services with a log collector
 * (fluent-bit shipping to Loki) and an HTTP adapter (nginx answering
 * `/health` from the app's `/metrics`); every tenth is a stateful service with
 * a per-replica volume.
 */

/** The chart every contender renders into. */
export const CHART_ID = 'bench';

/** One stateless web service. */
export interface StatelessSpec {
  readonly kind: 'stateless';
  /** Construct id, also the root of every generated object name. */
  readonly id: string;
  readonly image: string;
  readonly replicas: number;
  readonly appPort: number;
  readonly logDir: string;
  readonly adapterPort: number;
  readonly lokiHost: string;
  readonly lokiPort: number;
  readonly team: string;
}

/** One stateful service. */
export interface StatefulSpec {
  readonly kind: 'stateful';
  readonly id: string;
  readonly image: string;
  readonly replicas: number;
  readonly appPort: number;
  readonly dataPath: string;
  readonly storageGi: number;
  /** The app's numeric user (and the group that owns the volume). */
  readonly user: number;
}

export type WorkloadSpec = StatelessSpec | StatefulSpec;

/** The i-th workload of the mix. */
export function workloadSpec(i: number): WorkloadSpec {
  if (i % 10 === 9) {
    return {
      kind: 'stateful',
      id: `db${i}`,
      image: 'postgres:16.4-alpine',
      replicas: 3,
      appPort: 5432,
      dataPath: '/var/lib/postgresql/data',
      storageGi: 10 + (i % 7),
      user: 70,
    };
  }
  return {
    kind: 'stateless',
    id: `web${i}`,
    image: `registry.example.com/team-${i % 17}/web:1.${i % 13}.${i % 5}`,
    replicas: 2 + (i % 3),
    appPort: 8080,
    logDir: '/var/log/app',
    adapterPort: 9102,
    lokiHost: 'loki-gateway.logging.svc.cluster.local',
    lokiPort: 3100,
    team: `team-${i % 17}`,
  };
}

/** Parses `BENCH_SIZES` ("100,1000,10000"). */
export function parseSizes(value: string | undefined): number[] {
  const sizes = (value ?? '100,1000,10000').split(',').map(s => s.trim()).filter(s => s.length > 0).map(Number);
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must be a comma-separated list of positive integers (got ${JSON.stringify(value)})`);
  }
  return sizes;
}
