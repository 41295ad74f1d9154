/**
 * batch-with-sidecar: a Job whose log collector is a native sidecar.
 *
 * The task writes its log to a file; a LogCollector (fluent-bit) tails the
 * file and forwards the records. With Kubernetes 1.29+ the collector is a
 * native sidecar: an init container with `restartPolicy: Always` that starts
 * before the task, is stopped after the task exits, and does not keep the
 * Job from completing. A classic sidecar would run forever, so the library
 * refuses one in a Job.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BatchTask, Endpoint, KubernetesVersion, LogCollector, LogDestination, PodDiagrams, SidecarMode } from '../../src';

const LOG_DIR = '/var/log/report';

class BatchWithSidecar extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new BatchTask(this, 'report', {
      kubernetesVersion: KubernetesVersion.V1_29,
      sidecarMode: SidecarMode.NATIVE,
      container: {
        image: 'busybox:1.36.1',
        // "$$(" reaches the shell as "$(": Kubernetes itself expands $(VAR) in commands
        command: ['sh', '-c',
          `for step in extract transform load; do echo "$$(date -u +%FT%TZ) report: $step done" >> ${LOG_DIR}/report.log; sleep 2; done`],
        securityContext: { user: 10001, group: 10001 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      },
      backoffLimit: 2,
      activeDeadline: Duration.minutes(10),
      ttlAfterFinished: Duration.hours(1),
      patterns: [
        new LogCollector({
          logDir: LOG_DIR,
          // the aggregator already runs in the cluster; only its address is known here
          destination: LogDestination.forward({ endpoint: Endpoint.of('log-aggregator.logging.svc.cluster.local', 24224) }),
          logVolumeSizeLimit: Size.mebibytes(64),
        }),
      ],
    });
  }
}

const app = new App();
new BatchWithSidecar(app, 'batch-with-sidecar', { namespace: 'reports' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
