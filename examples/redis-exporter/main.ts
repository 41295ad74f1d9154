/**
 * redis-exporter: the adapter pattern for metrics.
 *
 * Redis serves no Prometheus metrics of its own. An ExporterAdapter adds the
 * redis_exporter as a sidecar: it queries Redis on 127.0.0.1:6379 and serves
 * the metrics on a port named "metrics", and the Pod's prometheus.io
 * annotations tell Prometheus where to scrape. Redis itself is unchanged.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExporterAdapter, PodDiagrams, StatefulService } from '../../src';

/** The numeric user of the official Redis image ("redis"). */
const REDIS_USER = 999;

/** The numeric user the redis_exporter image runs as. */
const EXPORTER_USER = 59000;

class RedisExporter extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new StatefulService(this, 'redis', {
      replicas: 1,
      container: {
        image: 'redis:7.4.1-alpine',
        // the append-only file and snapshots go to the per-replica volume
        args: ['redis-server', '--dir', '/data', '--appendonly', 'yes'],
        ports: [{ number: 6379, name: 'redis' }],
        securityContext: { user: REDIS_USER, group: REDIS_USER },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromTcpSocket({ port: 6379 }),
      },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(5), mountPath: '/data' }],
      patterns: [
        new ExporterAdapter({
          image: 'oliver006/redis_exporter:v1.62.0',
          port: 9121,
          user: EXPORTER_USER,
          env: [{ name: 'REDIS_ADDR', value: kplus.EnvValue.fromValue('redis://127.0.0.1:6379') }],
          resources: {
            cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
            memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
          },
        }),
      ],
    });
  }
}

const app = new App();
new RedisExporter(app, 'redis-exporter', { namespace: 'data' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
