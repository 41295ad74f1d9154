/**
 * log-collector: a log-collecting sidecar shipping to Elasticsearch.
 *
 * nginx writes its access and error logs as files. A LogCollector puts the
 * log directory on a shared volume (read-write in nginx, read-only in the
 * collector), and fluent-bit tails the files and ships them to an existing
 * Elasticsearch. The password comes from an existing Secret, by reference.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  Endpoint, KubernetesVersion, LogCollector, LogDestination, PodDiagrams, SecretKeyRef, SidecarMode, StatelessService,
} from '../../src';

class LogCollectorExample extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Elasticsearch runs elsewhere; the app only holds a reference to it.
    const elasticsearch = Endpoint.of('logging-es-http.logging.svc', 9200, { scheme: 'https' });
    // The Secret exists already (e.g. created by the Elasticsearch operator); it is referenced, never created here.
    const password = SecretKeyRef.of(this, 'log-shipper-es', 'password');

    new StatelessService(this, 'web', {
      replicas: 2,
      // native sidecars: the collector starts before nginx and stops after it, so the last lines are shipped too
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: {
        image: 'nginxinc/nginx-unprivileged:1.27.2-alpine',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
        securityContext: { user: 101, group: 101 },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
      },
      // nginx writes its pid and temp files to /tmp; the root filesystem is read-only
      writablePaths: [{ path: '/tmp', sizeLimit: Size.mebibytes(64) }],
      patterns: [
        new LogCollector({
          logDir: '/var/log/nginx',
          filePattern: '*.log',
          logVolumeSizeLimit: Size.mebibytes(512),
          destination: LogDestination.elasticsearch({
            endpoint: elasticsearch,
            index: 'web-nginx',
            user: 'log-shipper',
            password,
          }),
        }),
      ],
    });
  }
}

const app = new App();
new LogCollectorExample(app, 'log-collector');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
