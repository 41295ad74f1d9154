/**
 * metrics-adapter: the adapter pattern.
 *
 * The app only serves Prometheus metrics on /metrics. The platform expects
 * every service to answer /health on a port named "health". An nginx sidecar
 * presents that standard interface, answering /health from the app's
 * /metrics, without any change to the app.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HttpAdapter, PodDiagrams, StatelessService } from '../../src';

class MetricsAdapter extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new StatelessService(this, 'example-app', {
      replicas: 2,
      container: {
        image: 'quay.io/brancz/prometheus-example-app:v0.5.0',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
        securityContext: { user: 65534, group: 65534 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      },
      patterns: [
        new HttpAdapter({
          name: 'health-adapter',
          port: 8081,
          portName: 'health',
          routes: [{ path: '/health', upstreamPath: '/metrics' }],
          // the Service publishes the standard port next to the app's own
          expose: true,
        }),
      ],
    });
  }
}

const app = new App();
new MetricsAdapter(app, 'metrics-adapter');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
