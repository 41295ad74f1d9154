/**
 * kubernetes-1-33: what the library renders for clusters on Kubernetes 1.33,
 * where native sidecars, PVC retention, the PDB unhealthy pod eviction policy
 * and the Job failure policies are all GA.
 *
 * Every workload targets 1.33 through the app context, so none of them sets
 * `sidecarMode`: from 1.33 sidecars are native by default.
 *
 * - `cache` is a Redis StatefulService. Its metrics sidecar is a native
 *   sidecar (an init container with `restartPolicy: Always`) with a
 *   readiness and a liveness probe. The claims of members removed by a
 *   scale-down are deleted (the cache re-fills), the claims of a deleted
 *   StatefulSet are kept. Its PodDisruptionBudget lets a drain evict a
 *   member that is running but not ready (`AlwaysAllow`, the library's
 *   default from 1.31).
 * - `reindex` is an indexed Job of 4 shards. Each shard may fail twice
 *   before it is marked failed, and the Job fails once 2 shards failed.
 *   Node drains and preemptions do not count as failures, and exit code 42
 *   (bad input, which no retry fixes) fails the Job at once. Its log
 *   collector is a native sidecar too, so the Job completes.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  BatchTask, ClaimRetention, KUBERNETES_VERSION_CONTEXT, LogCollector, LogDestination, PodDiagrams, PodFailureAction, PodFailureRule,
  Sidecar, StatefulService, TaskCompletionMode,
} from '../../src';

/** The numeric user of the official Redis image ("redis"). */
const REDIS_USER = 999;

/** The numeric user the redis_exporter image runs as. */
const EXPORTER_USER = 59000;

const LOG_DIR = '/var/log/reindex';

class Kubernetes133 extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    new StatefulService(this, 'cache', {
      name: 'cache',
      replicas: 3,
      container: {
        image: 'redis:7.4.1-alpine',
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
      // a member removed by a scale-down loses its claim (the cache re-fills); deleting the StatefulSet keeps every claim
      claimRetention: { whenScaled: ClaimRetention.DELETE },
      patterns: [
        new Sidecar({
          name: 'metrics',
          image: 'oliver006/redis_exporter:v1.62.0',
          user: EXPORTER_USER,
          env: [{ name: 'REDIS_ADDR', value: kplus.EnvValue.fromValue('redis://127.0.0.1:6379') }],
          ports: [{ name: 'metrics', port: 9121 }],
          resources: {
            cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
            memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
          },
          // probes on a native sidecar: the Pod is Ready only once the exporter answers
          readiness: kplus.Probe.fromHttpGet('/health', { port: 9121 }),
          liveness: kplus.Probe.fromTcpSocket({ port: 9121 }),
        }),
      ],
    });

    new BatchTask(this, 'reindex', {
      name: 'reindex',
      container: {
        image: 'busybox:1.36.1',
        // "$$(" reaches the shell as "$(": Kubernetes itself expands $(VAR) in commands
        command: ['sh', '-c', `echo "$$(date -u +%FT%TZ) shard $JOB_COMPLETION_INDEX indexed" >> ${LOG_DIR}/reindex.log`],
        securityContext: { user: 10001, group: 10001 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      },
      completions: 4,
      parallelism: 2,
      completionMode: TaskCompletionMode.INDEXED,
      backoffLimitPerIndex: 2,
      maxFailedIndexes: 1,
      podFailurePolicy: [
        PodFailureRule.ignoreDisruptions(),
        PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [42], containerName: 'app' }),
      ],
      patterns: [
        new LogCollector({
          logDir: LOG_DIR,
          destination: LogDestination.stdout(),
        }),
      ],
    });
  }
}

const app = new App();
// every workload of the app targets Kubernetes 1.33
app.node.setContext(KUBERNETES_VERSION_CONTEXT, '1.33');
new Kubernetes133(app, 'kubernetes-1-33', { namespace: 'search' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
