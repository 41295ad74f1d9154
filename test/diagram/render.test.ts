/**
 * Proof that the generated diagrams render: every Pod diagram the examples
 * write (and so every copy in the README and docs/), and diagrams of a chart
 * that uses every feature the diagrams draw, are parsed and drawn by Mermaid's
 * own browser bundle in a real headless chromium (Debian's). A diagram Mermaid
 * cannot draw fails the test, which prints it.
 *
 * Set POD_DIAGRAM_PNG_DIR to also write a PNG of each diagram there, to look
 * at them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { docFiles, mermaidBlocks, ROOT } from '../../scripts/doc-diagrams';
import {
  Ambassador, AppConfig, ArtifactInit, BatchTask, ConfigReloader, DiagramDirection, Endpoint, ExporterAdapter, ExternalService, HttpAdapter,
  InitStep, KubernetesVersion, LogCollector, LogDestination, NodeAgent, PodDiagrams, ReloadAction, ReloadSignal, ScheduledTask, SecretKeyRef,
  SidecarMode, StatefulService, StatelessService,
} from '../../src';
import { EXAMPLES_DIR, exampleNames, readDiagramDir } from '../harness/examples';
import { MermaidBrowser } from './support/mermaid-browser';
import { describeWithProgram } from '../integration/support/programs';

/** A chart that uses everything the diagrams draw, with characters Mermaid would read as syntax in a path. */
function everything(): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'everything-')) });
  const chart = new Chart(app, 'everything', { namespace: 'shop' });
  const other = new Chart(app, 'other', { namespace: 'shop' });
  const api = new StatelessService(other, 'api', { container: { image: 'example/api:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] } });

  const db = new StatefulService(chart, 'db', {
    replicas: 3,
    container: { image: 'example/db:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'pg' }] },
    volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/db' }],
    clientService: {},
    patterns: [new ExporterAdapter({ image: 'example/exporter:1.0.0', port: 9187 })],
  });
  const paas = ExternalService.fromHostname(chart, 'paas', {
    serviceName: 'paas-db', hostname: 'db.example.com', ports: [{ name: 'pg', port: 5432, scheme: 'postgres' }],
  });
  const cache = ExternalService.fromIps(chart, 'cache', { serviceName: 'cache', ips: ['10.0.0.1', '10.0.0.2'], ports: [{ name: 'redis', port: 6379 }] });
  const files = AppConfig.fromFiles(chart, 'files', { mountPath: '/etc/web', files: [{ key: 'web.yaml', content: 'a: 1\n' }] });
  const env = AppConfig.fromEnv(chart, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });

  const web = new StatelessService(chart, 'web', {
    sidecarMode: SidecarMode.NATIVE,
    kubernetesVersion: KubernetesVersion.V1_29,
    autoscaling: { minReplicas: 2, maxReplicas: 6 },
    container: {
      image: 'example/web:1.0.0',
      ports: [{ number: 8080, name: 'http' }],
      securityContext: { user: 10001, group: 10001 },
      envVariables: { DB_PASSWORD: SecretKeyRef.of(chart, 'web-db', 'password').envValue() },
    },
    service: { port: 80 },
    patterns: [
      new ArtifactInit({ name: 'site', artifactImage: 'example/site:1.0.0', sourcePath: '/site', targetPath: '/srv/"odd" <dir> #1|[x]{y}' }),
      new InitStep({ name: 'migrate', image: 'example/migrate:1.0.0' }),
      env,
      files,
      new ConfigReloader({ config: files, action: ReloadAction.signal({ processName: 'web', signal: ReloadSignal.HUP }) }),
      new LogCollector({
        logDir: '/var/log/web',
        destination: LogDestination.elasticsearch({
          endpoint: Endpoint.of('es.logging.svc.cluster.local', 9200, { scheme: 'https' }),
          index: 'web',
          user: 'shipper',
          password: SecretKeyRef.of(chart, 'es', 'password'),
        }),
      }),
      new Ambassador({ name: 'redis', listenPort: 6379, upstreams: [cache, Endpoint.of('redis-9.redis.data.svc.cluster.local', 6379)] }),
      new HttpAdapter({ port: 8081, routes: [{ path: '/health', upstreamPath: '/metrics?x=1&y=2' }], expose: true }),
    ],
  });
  web.connect(db, { envPrefix: 'DB', waitFor: true });
  web.connect(db.member(0), { envPrefix: 'PRIMARY' });
  web.connect(paas, { envPrefix: 'PAAS' });
  web.connect(api, { envPrefix: 'API' });
  web.mainContainer.mount('/tmp', kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp'));

  new NodeAgent(chart, 'agent', {
    container: { image: 'example/agent:1.0.0', securityContext: { user: 10001 } },
    allowHostPaths: true,
    hostPaths: [{ path: '/var/log/pods', mountPath: '/var/log/pods' }],
  });
  new BatchTask(chart, 'report', {
    sidecarMode: SidecarMode.NATIVE,
    kubernetesVersion: KubernetesVersion.V1_29,
    container: { image: 'example/report:1.0.0', securityContext: { user: 10001 } },
    patterns: [new LogCollector({ logDir: '/var/log/report', destination: LogDestination.stdout() })],
  });
  new ScheduledTask(chart, 'nightly', { container: { image: 'example/report:1.0.0', securityContext: { user: 10001 } }, schedule: Cron.daily() });
  return app;
}

/** name -> Mermaid text of every diagram to render. */
function diagramsToRender(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of exampleNames()) {
    for (const [file, text] of readDiagramDir(path.join(EXAMPLES_DIR, name, 'dist'))) {
      mermaidBlocks(text).forEach((block, i) => out.set(`examples/${name}/dist/${file}#${i + 1}`, block));
    }
  }
  for (const doc of docFiles()) {
    mermaidBlocks(fs.readFileSync(path.join(ROOT, doc), 'utf8')).forEach((block, i) => out.set(`${doc}#${i + 1}`, block));
  }
  const app = everything();
  const [chart] = app.charts.filter(c => c.node.id === 'everything');
  out.set('everything, left to right', PodDiagrams.mermaidForChart(chart));
  out.set('everything, top to bottom', PodDiagrams.mermaidForChart(chart, { direction: DiagramDirection.TOP_TO_BOTTOM }));
  return out;
}

describeWithProgram('chromium', 'generated Pod diagrams rendered by Mermaid in headless chromium', (chromium) => {
  let browser: MermaidBrowser;
  const diagrams = diagramsToRender();
  const pngDir = process.env.POD_DIAGRAM_PNG_DIR;

  beforeAll(async () => {
    browser = await MermaidBrowser.launch(chromium);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('there is a diagram of every example, and of the README\'s four container patterns', () => {
    for (const name of exampleNames()) expect([...diagrams.keys()].some(k => k.startsWith(`examples/${name}/`))).toBe(true);
    expect([...diagrams.keys()].filter(k => k.startsWith('README.md#')).length).toBeGreaterThanOrEqual(4);
  });

  test('a diagram with a syntax error fails to render, with Mermaid\'s message', async () => {
    // GIVEN a flowchart whose node id is a keyword and whose bracket is never closed
    const broken = 'flowchart LR\n  a --> end\n  b["never closed\n';
    // WHEN rendered
    const result = await browser.render(broken);
    // THEN there is no drawing, and Mermaid says why
    expect(result.svg).toBeUndefined();
    expect(result.error).toMatch(/Parse error on line \d+/);
  });

  test.each([...diagrams.keys()])('%s renders', async (name) => {
    // GIVEN a generated diagram
    const text = diagrams.get(name)!;
    // WHEN Mermaid renders it
    const result = await browser.render(text);
    // THEN it draws an SVG, and every Pod group's title is in it
    if (result.error !== undefined) {
      throw new Error(`Mermaid could not render ${name}: ${result.error}\n--- the diagram ---\n${text}`);
    }
    expect(result.svg).toMatch(/^<svg /);
    const titles = [...text.matchAll(/subgraph \w+\["([^"]*)"\]/g)].map(m => m[1].replace(/#35;/g, '#'));
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(result.svg).toContain(title);
    if (pngDir) {
      fs.mkdirSync(pngDir, { recursive: true });
      await browser.screenshot(text, path.join(pngDir, `${name.replace(/[^A-Za-z0-9.-]+/g, '_')}.png`));
    }
  }, 30_000);
});
