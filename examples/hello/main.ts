/**
 * hello: the composition core on its own.
 *
 * A stateless nginx whose start page is written by an init step into a shared
 * volume. The init step comes from a pattern defined right here, to show that
 * a pattern is just a small class against PodPatternHost.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IPodPattern, PodDiagrams, PodPatternHost, StatelessService } from '../../src';

/** Writes a static page into a shared volume that the app serves. */
class StaticPage implements IPodPattern {
  public readonly name = 'static-page';

  constructor(private readonly html: string, private readonly docroot: string) {}

  public attach(host: PodPatternHost): void {
    host.sharedVolume('site', { sizeLimit: Size.mebibytes(1) });
    host.addInitContainer({
      name: 'write-page',
      image: 'busybox:1.36.1',
      command: ['sh', '-c', 'printf "%s" "$PAGE" > /site/index.html'],
      envVariables: { PAGE: kplus.EnvValue.fromValue(this.html) },
      namedMounts: [{ volume: 'site', path: '/site' }],
    });
    host.mountOnMain({ volume: 'site', path: this.docroot, readOnly: true });
  }
}

class Hello extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new StatelessService(this, 'web', {
      replicas: 2,
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
      writablePaths: [{ path: '/tmp' }],
      patterns: [new StaticPage('<h1>hello from a Pod</h1>', '/usr/share/nginx/html')],
    });
  }
}

const app = new App();
new Hello(app, 'hello');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
