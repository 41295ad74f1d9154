/**
 * nginx: a stateless web server, three interchangeable replicas behind one
 * Service.
 *
 * The container runs as a non-root user and so listens on 8080; the Service
 * listens on 80 and forwards to it, so clients use the usual port. The
 * Service is reachable by its DNS name, `web.host`.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodDiagrams, StatelessService } from '../../src';

class Nginx extends Chart {
  /** The web server, usable by other workloads as an endpoint. */
  public readonly web: StatelessService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.web = new StatelessService(this, 'web', {
      replicas: 3,
      container: {
        image: 'nginxinc/nginx-unprivileged:1.27.2-alpine',
        ports: [{ number: 8080, name: 'http' }],
        securityContext: { user: 101, group: 101 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
      },
      // nginx writes its pid file and request buffers to /tmp; the root filesystem is read-only
      writablePaths: [{ path: '/tmp', sizeLimit: Size.mebibytes(64) }],
      service: { port: 80 },
      scheme: 'http',
    });
  }
}

const app = new App();
new Nginx(app, 'nginx', { namespace: 'web' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
