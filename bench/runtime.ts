/**
 * Runtime cost of the ambassador and the adapter: what a request pays for
 * going through the proxy on localhost instead of straight to the app.
 *
 *   BENCH_RUNTIME=1 npx projen bench
 *   (or: npx ts-node --project test/tsconfig.json bench/runtime.ts)
 *
 * The configurations are taken out of a synthesized chart (the ConfigMaps of
 * an `Ambassador` in TCP mode, one in HTTP mode, and an `HttpAdapter`) and run
 * by the real haproxy and nginx on 127.0.0.1, with only the substitutions a
 * Pod makes unnecessary (file locations, and the adapter's listen address).
 * The app is an nginx answering every path with a small static body.
 *
 * For each path (direct to the app, and through each proxy), in turn and
 * BENCH_RUNTIME_ROUNDS times (default 3; the best round counts):
 * - latency: one keep-alive connection, one request at a time, timed per
 *   request (load-client.ts);
 * - throughput: autocannon with BENCH_RUNTIME_CONNECTIONS keep-alive
 *   connections; the proxy's CPU time is read from /proc meanwhile.
 * Every run lasts BENCH_RUNTIME_SECONDS (default 5). Every process started
 * here is stopped at the end, by its process group.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { readResults, RuntimeCase, RuntimeResult, TARGETS, writeResults } from './report';
import { Endpoint } from '../src/dependencies/endpoint';
import { findProgram, freePort, RunningProgram } from '../test/integration/support/programs';
import { HttpAdapter } from '../src/patterns/http-adapter';
import { Ambassador } from '../src/patterns/ambassador';
import { ProxyMode } from '../src/patterns/ambassador-options';
import { StatelessService } from '../src/workloads/stateless-service';

const SECONDS = Number(process.env.BENCH_RUNTIME_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_RUNTIME_CONNECTIONS ?? 32);
/** How many times each path is measured, in turn; the best round counts. */
const ROUNDS = Number(process.env.BENCH_RUNTIME_ROUNDS ?? 3);
const CLIENT = path.join(__dirname, 'load-client.js');
const APP_BODY = '# HELP up The app is up.\n# TYPE up gauge\nup 1\n';

/** A program that must be installed: the runtime benchmark cannot run without it. */
function requireProgram(name: string): string {
  const found = findProgram(name);
  if (!found) throw new Error(`${name} not found in PATH or /usr/sbin: apt-get install -y --no-install-recommends nginx haproxy`);
  return found;
}

function version(binary: string, args: string[], pattern: RegExp): string {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  return pattern.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown';
}

/** CPU seconds (user + system) of the program and its direct children (nginx workers). */
function cpuSeconds(program: RunningProgram): number {
  const tick = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid === program.pid || ppid === program.pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / tick;
}

function client(args: string[]): any {
  const r = spawnSync(process.execPath, [CLIENT, ...args], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  if (r.status !== 0) throw new Error(`load client ${args.join(' ')} failed: ${r.stderr}${r.error ?? ''}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function substitute(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`substitution found no ${JSON.stringify(from)} in:\n${out}`);
    out = out.split(from).join(to);
  }
  return out;
}

/** The manifests of a service with the three proxies, synthesized like `cdk8s synth`. */
function synthesize(ports: { app: number; tcp: number; http: number; adapter: number }): any[] {
  const app = new App({ outdir: os.tmpdir() });
  const chart = new Chart(app, 'runtime');
  const upstreams = [Endpoint.of('127.0.0.1', ports.app)];
  new StatelessService(chart, 'app', {
    container: { image: 'example/app:1.0.0', ports: [{ number: ports.app, name: 'http' }], securityContext: { user: 10001 } },
    patterns: [
      new Ambassador({ name: 'amb-tcp', listenPort: ports.tcp, upstreams }),
      new Ambassador({ name: 'amb-http', listenPort: ports.http, mode: ProxyMode.HTTP, upstreams }),
      new HttpAdapter({ port: ports.adapter, routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
    ],
  });
  const errors = app.node.findAll().flatMap(c => c.node.validate());
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return Object.values(chart.toJson());
}

function configFile(manifests: any[], namePart: string, key: string): string {
  const cm = manifests.filter(m => m.kind === 'ConfigMap' && m.metadata.name.includes(namePart));
  if (cm.length !== 1 || typeof cm[0].data?.[key] !== 'string') throw new Error(`no ConfigMap *${namePart}* with ${key}`);
  return cm[0].data[key];
}

function commandLine(manifests: any[], container: string): string[] {
  const spec = manifests.find(m => m.kind === 'Deployment').spec.template.spec;
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === container);
  return [...(c.command ?? []), ...(c.args ?? [])];
}

function upstreamConfig(dir: string, port: number): string {
  return [
    'worker_processes 1;',
    'daemon off;',
    `pid ${dir}/app.pid;`,
    'error_log stderr warn;',
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/app_client; proxy_temp_path ${dir}/app_proxy; fastcgi_temp_path ${dir}/app_fastcgi;`,
    `  uwsgi_temp_path ${dir}/app_uwsgi; scgi_temp_path ${dir}/app_scgi;`,
    '  keepalive_requests 1000000;',
    '  default_type text/plain;',
    `  server { listen 127.0.0.1:${port}; location / { return 200 ${JSON.stringify(APP_BODY)}; } }`,
    '}',
    '',
  ].join('\n');
}

interface Target {
  readonly name: string;
  readonly port: number;
  readonly path: string;
  readonly program?: RunningProgram;
}

interface Measured {
  p50: number;
  p99: number;
  rps: number;
  /** CPU per request during the throughput run, in microseconds: proxy, app, load generator. */
  cpuUsPerRequest?: number;
  appCpuUsPerRequest: number;
  clientCpuUsPerRequest: number;
}

function measure(t: Target, app: RunningProgram): Measured {
  const lat = client(['latency', String(t.port), t.path, String(SECONDS)]);
  const cpuBefore = (t.program ? cpuSeconds(t.program) : undefined);
  const appBefore = cpuSeconds(app);
  const thr = client(['throughput', String(t.port), t.path, String(SECONDS), String(CONNECTIONS)]);
  const cpu = t.program ? cpuSeconds(t.program) - cpuBefore! : undefined;
  const appCpu = cpuSeconds(app) - appBefore;
  // a keep-alive connection the server closes (nginx: keepalive_requests) can cost the request in flight; more is a failure
  if (thr.non2xx > 0 || thr.errors > thr.total / 1000) {
    throw new Error(`${t.name}: ${thr.non2xx} non-2xx answers, ${thr.errors} errors in ${thr.total} requests`);
  }
  return {
    p50: lat.p50Ms,
    p99: lat.p99Ms,
    rps: thr.rps,
    cpuUsPerRequest: cpu === undefined ? undefined : (cpu * 1e6) / thr.total,
    appCpuUsPerRequest: (appCpu * 1e6) / thr.total,
    clientCpuUsPerRequest: thr.clientCpuUsPerRequest,
  };
}

export async function runRuntimeBenchmark(): Promise<RuntimeResult> {
  const haproxy = requireProgram('haproxy');
  const nginx = requireProgram('nginx');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runtime-'));
  fs.chmodSync(dir, 0o755);
  const ports = {
    app: await freePort(),
    tcp: await freePort(),
    http: await freePort(),
    adapter: await freePort(),
  };
  const programs: RunningProgram[] = [];
  const stopAll = async () => {
    for (const p of programs) await p.stop();
  };
  const onSignal = () => {
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    fs.writeFileSync(path.join(dir, 'app.conf'), upstreamConfig(dir, ports.app));
    const app = RunningProgram.start(nginx, ['-e', 'stderr', '-c', path.join(dir, 'app.conf')]);
    programs.push(app);
    await app.waitForPort(ports.app);

    const manifests = synthesize(ports);
    const start = (container: string, file: string, content: string, pod: string, port: number) => {
      const local = path.join(dir, file);
      fs.writeFileSync(local, content);
      const [program, ...args] = commandLine(manifests, container);
      const binary = program === 'haproxy' ? haproxy : nginx;
      const p = RunningProgram.start(binary, substitute(args.join('\n'), [[pod, local]]).split('\n'));
      programs.push(p);
      return p.waitForPort(port).then(() => p);
    };
    const tcp = await start('amb-tcp', 'amb-tcp.cfg', configFile(manifests, 'amb-tcp', 'haproxy.cfg'),
      '/usr/local/etc/haproxy/haproxy.cfg', ports.tcp);
    const http = await start('amb-http', 'amb-http.cfg', configFile(manifests, 'amb-http', 'haproxy.cfg'),
      '/usr/local/etc/haproxy/haproxy.cfg', ports.http);
    const adapterConf = substitute(configFile(manifests, 'http-adapter', 'nginx.conf'), [
      [' /tmp/', ` ${dir}/`], // the Pod mounts an emptyDir at /tmp
      [`listen ${ports.adapter};`, `listen 127.0.0.1:${ports.adapter};`], // in a Pod it listens on the Pod's addresses
    ]);
    const adapter = await start('http-adapter', 'adapter.conf', adapterConf, '/etc/nginx-adapter/nginx.conf', ports.adapter);
    const targets: Target[] = [
      { name: 'direct', port: ports.app, path: '/metrics' },
      { name: 'ambassador-tcp', port: ports.tcp, path: '/metrics', program: tcp },
      { name: 'ambassador-http', port: ports.http, path: '/metrics', program: http },
      { name: 'http-adapter', port: ports.adapter, path: '/health', program: adapter },
    ];
    const best = new Map<string, Measured>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const m = measure(t, app);
        process.stderr.write(`round ${round + 1} ${t.name}: p50 ${m.p50.toFixed(3)} ms, p99 ${m.p99.toFixed(3)} ms, ${m.rps.toFixed(0)} req/s\n`);
        const b = best.get(t.name);
        best.set(t.name, b ? {
          p50: Math.min(b.p50, m.p50),
          p99: Math.min(b.p99, m.p99),
          rps: Math.max(b.rps, m.rps),
          cpuUsPerRequest: b.cpuUsPerRequest === undefined ? undefined : Math.min(b.cpuUsPerRequest, m.cpuUsPerRequest!),
          appCpuUsPerRequest: Math.min(b.appCpuUsPerRequest, m.appCpuUsPerRequest),
          clientCpuUsPerRequest: Math.min(b.clientCpuUsPerRequest, m.clientCpuUsPerRequest),
        } : m);
      }
    }

    const direct = best.get('direct')!;
    const describe: Record<string, string> = {
      'ambassador-tcp': 'the app talks HTTP/1.1 to 127.0.0.1 through the Ambassador in ProxyMode.TCP (the default) to the upstream.',
      'ambassador-http': 'the same through the Ambassador in ProxyMode.HTTP (HAProxy parses every request).',
      'http-adapter': 'GET /health on the HttpAdapter, answered from the app\'s /metrics by nginx over its keep-alive upstream pool.',
    };
    const cases: RuntimeCase[] = targets.filter(t => t.program).map(t => {
      const m = best.get(t.name)!;
      const targeted = t.name === 'ambassador-tcp' || t.name === 'ambassador-http';
      const addedP50Ms = m.p50 - direct.p50;
      const throughputRatio = m.rps / direct.rps;
      return {
        name: t.name,
        description: describe[t.name],
        directP50Ms: direct.p50,
        directP99Ms: direct.p99,
        proxiedP50Ms: m.p50,
        proxiedP99Ms: m.p99,
        addedP50Ms,
        addedP99Ms: m.p99 - direct.p99,
        directRps: direct.rps,
        proxiedRps: m.rps,
        throughputRatio,
        proxyCpuUsPerRequest: m.cpuUsPerRequest,
        appCpuUsPerRequest: m.appCpuUsPerRequest,
        clientCpuUsPerRequest: m.clientCpuUsPerRequest,
        targeted,
        addedP50Pass: targeted ? addedP50Ms < TARGETS.maxAddedP50Ms : undefined,
        throughputPass: targeted ? throughputRatio >= TARGETS.minThroughputRatio : undefined,
      };
    });
    const result: RuntimeResult = {
      generatedAt: new Date().toISOString(),
      direct: { appCpuUsPerRequest: direct.appCpuUsPerRequest, clientCpuUsPerRequest: direct.clientCpuUsPerRequest },
      method: `Latency: one keep-alive connection, one request at a time for ${SECONDS} s (the first 10% discarded), each request timed `
        + `in microseconds. Throughput: autocannon, ${CONNECTIONS} keep-alive connections for ${SECONDS} s. The load generator, the proxy `
        + `and the app (nginx, \`return 200\`) share the machine's ${os.cpus().length} cores. Each path is measured ${ROUNDS} times, in turn; `
        + 'the best round counts (lowest latency, highest throughput). CPU per request is read from /proc during the throughput runs.',
      programs: {
        haproxy: version(haproxy, ['-v'], /version (\S+)/),
        nginx: version(nginx, ['-v'], /nginx\/(\S+)/),
      },
      latencySeconds: SECONDS,
      throughputSeconds: SECONDS,
      throughputConnections: CONNECTIONS,
      cases,
    };
    writeResults({ ...readResults(), runtime: result });
    for (const c of cases) {
      process.stdout.write(`${c.name.padEnd(16)} added p50 ${c.addedP50Ms.toFixed(3)} ms, added p99 ${c.addedP99Ms.toFixed(3)} ms, `
        + `throughput ${(c.throughputRatio * 100).toFixed(0)}% of direct (${c.proxiedRps.toFixed(0)} / ${c.directRps.toFixed(0)} req/s)`
        + `${c.targeted ? `  [p50 ${c.addedP50Pass ? 'pass' : 'FAIL'}, throughput ${c.throughputPass ? 'pass' : 'FAIL'}]` : ''}\n`);
    }
    return result;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runRuntimeBenchmark().catch(e => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  });
}
