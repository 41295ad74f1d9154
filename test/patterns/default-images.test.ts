import * as fs from 'fs';
import * as path from 'path';
import {
  Ambassador, ArtifactInit, ConfigReloader, DefaultImages, Endpoint, ExporterAdapter, HttpAdapter, InitStep, LogCollector,
  LogDestination, MountedConfig, ReloadAction, StatelessService, WaitFor,
} from '../../src';
import { newChart, podSpec, synth } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const MODULE = 'src/patterns/default-images.ts';

/** The public constants of DefaultImages, by name. */
function defaultImages(): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of Object.getOwnPropertyNames(DefaultImages)) {
    const value = (DefaultImages as any)[key];
    if (/^[A-Z_]+$/.test(key) && typeof value === 'string') out.set(key, value);
  }
  return out;
}

/** Every container image of every workload in `manifests`. */
function imagesOf(manifests: any[]): string[] {
  return manifests
    .filter(m => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(m.kind))
    .flatMap(m => {
      const spec = podSpec(m);
      return [...(spec.initContainers ?? []), ...spec.containers].map((c: any) => c.image);
    });
}

describe('DefaultImages', () => {
  test('holds a pinned image for each of HAProxy, nginx, fluent-bit and busybox', () => {
    // THEN
    expect([...defaultImages().keys()].sort()).toEqual(['BUSYBOX', 'FLUENT_BIT', 'HAPROXY', 'NGINX_UNPRIVILEGED']);
    for (const image of defaultImages().values()) {
      expect(image).toMatch(/^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  test('every pattern\'s default image is read from it', () => {
    // GIVEN a workload with the patterns that have a default image, none given an image
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: [{ key: 'app.conf', content: 'x\n' }] });
    new StatelessService(chart, 'web', {
      container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] },
      patterns: [
        new WaitFor({ endpoints: [Endpoint.of('db.data.svc.cluster.local', 5432)] }),
        new Ambassador({ listenPort: 6379, upstreams: [Endpoint.of('redis.data.svc.cluster.local', 6379)] }),
        new HttpAdapter({ port: 8081, portName: 'health', routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
        new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() }),
        config,
        new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') }),
      ],
    });

    // WHEN
    const images = imagesOf(synth(chart));

    // THEN
    expect(Ambassador.DEFAULT_IMAGE).toBe(DefaultImages.HAPROXY);
    expect(HttpAdapter.DEFAULT_IMAGE).toBe(DefaultImages.NGINX_UNPRIVILEGED);
    expect(LogCollector.DEFAULT_IMAGE).toBe(DefaultImages.FLUENT_BIT);
    expect(WaitFor.DEFAULT_IMAGE).toBe(DefaultImages.BUSYBOX);
    expect(images).toEqual([
      DefaultImages.BUSYBOX, // wait-for
      'example/web:1.0.0',
      DefaultImages.HAPROXY,
      DefaultImages.NGINX_UNPRIVILEGED,
      DefaultImages.FLUENT_BIT,
      DefaultImages.BUSYBOX, // config-reloader
    ]);
  });

  test('the update bot\'s regex manager finds every default image in the module, and nothing else', () => {
    // GIVEN the bot's configuration and the module it watches
    const renovate = JSON.parse(fs.readFileSync(path.join(ROOT, 'renovate.json'), 'utf8'));
    const [manager] = renovate.customManagers;
    const source = fs.readFileSync(path.join(ROOT, MODULE), 'utf8');

    // WHEN its patterns are applied as Renovate applies them
    const filePattern = manager.managerFilePatterns[0] as string;
    const fileRegex = new RegExp(filePattern.slice(1, -1));
    const found = [...source.matchAll(new RegExp(manager.matchStrings[0], 'g'))]
      .map(m => `${m.groups!.depName}:${m.groups!.currentValue}`);

    // THEN
    expect(renovate.enabledManagers).toEqual(['custom.regex']);
    expect(manager.datasourceTemplate).toBe('docker');
    expect(fileRegex.test(MODULE)).toBe(true);
    expect(found.sort()).toEqual([...defaultImages().values()].sort());
  });

  test('an organisation that passes its own images leaves no default image in the output', () => {
    // GIVEN one module of the organisation's images (here: the defaults, mirrored) passed to every pattern
    const mirror = (image: string) => `registry.example.com/mirror/${image.replace(/^[^/]+\.[^/]+\//, '')}`;
    const org = {
      haproxy: mirror(DefaultImages.HAPROXY),
      nginx: mirror(DefaultImages.NGINX_UNPRIVILEGED),
      fluentBit: mirror(DefaultImages.FLUENT_BIT),
      busybox: mirror(DefaultImages.BUSYBOX),
    };
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: [{ key: 'app.conf', content: 'x\n' }] });
    new StatelessService(chart, 'web', {
      container: { image: 'registry.example.com/shop/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] },
      patterns: [
        new ArtifactInit({ artifactImage: 'registry.example.com/shop/site:1.0.0', sourcePath: '/site', targetPath: '/srv/site' }),
        new InitStep({ name: 'migrate', image: 'registry.example.com/shop/migrate:1.0.0' }),
        new WaitFor({ endpoints: [Endpoint.of('db.data.svc.cluster.local', 5432)], image: org.busybox }),
        new Ambassador({ listenPort: 6379, upstreams: [Endpoint.of('redis.data.svc.cluster.local', 6379)], image: org.haproxy }),
        new HttpAdapter({ port: 8081, portName: 'health', routes: [{ path: '/health', upstreamPath: '/metrics' }], image: org.nginx }),
        new ExporterAdapter({ image: 'registry.example.com/mirror/oliver006/redis_exporter:v1.62.0', port: 9121 }),
        new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout(), image: org.fluentBit }),
        config,
        new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), image: org.busybox }),
      ],
    });

    // WHEN
    const images = imagesOf(synth(chart));

    // THEN every container, the library's helpers included, pulls from the organisation's registry
    expect(images).toHaveLength(9);
    for (const image of images) expect(image).toMatch(/^registry\.example\.com\//);
    expect(images).toEqual(expect.arrayContaining(Object.values(org)));
    expect(org.fluentBit).toBe('registry.example.com/mirror/fluent/fluent-bit:3.2.10');
  });
});
