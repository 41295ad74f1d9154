import {
  Ambassador, AppConfig, ArtifactInit, ConfigReloader, Endpoint, ExporterAdapter, HttpAdapter, InitStep, LogCollector, LogDestination, ReloadAction,
  ReloadSignal, WaitFor,
} from '../../src';
import { patternLinks, patternNotes } from '../../src/diagram/pattern-links';
import { newChart } from '../util';

describe('patternLinks', () => {
  test('an ambassador: the app reaches it on localhost, it forwards to every upstream', () => {
    // GIVEN an ambassador with two upstreams
    const upstreams = [Endpoint.of('redis-0.redis.data.svc.cluster.local', 6379), Endpoint.of('redis-1.redis.data.svc.cluster.local', 6379)];
    const ambassador = new Ambassador({ name: 'redis', listenPort: 6379, upstreams, envVar: 'REDIS_ADDR' });
    // WHEN its links are asked for
    // THEN the app links to the proxy with the address it is given, and the proxy to each upstream
    expect(patternLinks(ambassador, 'app')).toEqual([
      { from: 'app', toContainer: 'redis', label: 'REDIS_ADDR = 127.0.0.1:6379' },
      { from: 'redis', endpoint: upstreams[0], label: 'forwards to' },
      { from: 'redis', endpoint: upstreams[1], label: 'forwards to' },
    ]);
  });

  test('a log collector ships to its destination, named as a person names it', () => {
    const collector = new LogCollector({
      logDir: '/var/log/app',
      destination: LogDestination.loki({ endpoint: Endpoint.of('loki.logging.svc.cluster.local', 3100) }),
    });
    const links = patternLinks(collector, 'app');
    expect(links).toHaveLength(1);
    expect(links[0].from).toBe('log-collector');
    expect(links[0].label).toBe('ships logs (Loki)');
    expect([links[0].endpoint?.host, links[0].endpoint?.port]).toEqual(['loki.logging.svc.cluster.local', 3100]);
  });

  test('a log collector that prints to stdout reaches nothing', () => {
    expect(patternLinks(new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() }), 'app')).toEqual([]);
  });

  test('an HTTP adapter answers its paths from the app', () => {
    const adapter = new HttpAdapter({ port: 8081, routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/ready', upstreamPath: '/status' }] });
    expect(patternLinks(adapter, 'web')).toEqual([
      { from: 'http-adapter', toContainer: 'web', label: 'answers /health from /metrics, /ready from /status' },
    ]);
  });

  test('a config reloader tells the app to reload, by signal or by HTTP', () => {
    // GIVEN a mounted config and two reloaders
    const chart = newChart();
    const config = AppConfig.fromFiles(chart, 'config', { mountPath: '/etc/app', files: [{ key: 'app.yaml', content: 'a: 1\n' }] });
    const bySignal = new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', signal: ReloadSignal.HUP }) });
    const byHttp = new ConfigReloader({ name: 'reload-http', config, action: ReloadAction.httpPost(9090, '/-/reload') });
    // THEN each link is a check from the reloader to the app, saying how it reloads
    expect(patternLinks(bySignal, 'app')).toEqual([{ from: 'config-reloader', toContainer: 'app', label: 'reloads: SIGHUP to nginx', check: true }]);
    expect(patternLinks(byHttp, 'app')).toEqual([
      { from: 'reload-http', toContainer: 'app', label: 'reloads: POST http://127.0.0.1:9090/-/reload', check: true },
    ]);
  });

  test('a wait step waits for each of its endpoints', () => {
    const db = Endpoint.of('db.shop.svc.cluster.local', 5432);
    const cache = Endpoint.of('cache.shop.svc.cluster.local', 6379);
    expect(patternLinks(new WaitFor({ name: 'wait-deps', endpoints: [db, cache] }), 'app')).toEqual([
      { from: 'wait-deps', endpoint: db, label: 'waits until it answers', check: true },
      { from: 'wait-deps', endpoint: cache, label: 'waits until it answers', check: true },
    ]);
  });

  test('other patterns make no links of their own', () => {
    expect(patternLinks(new InitStep({ name: 'migrate', image: 'example/migrate:1.0.0' }), 'app')).toEqual([]);
    expect(patternLinks(new ExporterAdapter({ image: 'example/exporter:1.0.0', port: 9100 }), 'app')).toEqual([]);
  });
});

describe('patternNotes', () => {
  test('says in a few words what the container of a pattern does', () => {
    const artifact = new ArtifactInit({ name: 'war', artifactImage: 'example/war:1.0.0', sourcePath: '/artifacts/app.war', targetPath: '/webapps' });
    expect(patternNotes(artifact)).toEqual([{ container: 'war', text: 'copies /artifacts/app.war out of its image' }]);
    expect(patternNotes(new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() }))).toEqual([
      { container: 'log-collector', text: 'tails the log files in /var/log/app' },
    ]);
    expect(patternNotes(new Ambassador({ name: 'redis', listenPort: 6380, upstreams: [Endpoint.of('redis.data.svc.cluster.local', 6379)] }))).toEqual([
      { container: 'redis', text: 'listens on 127.0.0.1:6380 only' },
    ]);
    expect(patternNotes(new ExporterAdapter({ image: 'example/exporter:1.0.0', port: 9100, path: '/stats' }))).toEqual([
      { container: 'exporter', text: 'serves Prometheus metrics at /stats' },
    ]);
  });

  test('other patterns add no note', () => {
    expect(patternNotes(new InitStep({ name: 'migrate', image: 'example/migrate:1.0.0' }))).toEqual([]);
    expect(patternNotes(new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432)] }))).toEqual([]);
  });
});
