import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { Endpoint, StatelessService, WaitFor, WaitForCheck } from '../../src';
import { errorOf, newChart } from '../util';
import { APP, container, deploymentSpec, runShell } from './init-support';

describe('WaitFor', () => {
  test('checks every endpoint with nc -z, for 5 minutes by default', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432), Endpoint.of('cache', 6379)] })],
    });
    // THEN
    const c = container(deploymentSpec(chart), 'wait-for');
    expect(c.image).toBe('busybox:1.36.1');
    expect(c.command[3]).toBe('wait-for');
    expect(c.command[2]).toContain('nc -z -w 2 "$host" "$port"');
    expect(c.args).toEqual(['db.example.com:5432', 'cache:6379']);
    expect(c.env).toEqual([
      { name: 'WAIT_CHECK', value: 'tcp' },
      { name: 'WAIT_TIMEOUT_SECONDS', value: '300' },
      { name: 'WAIT_INTERVAL_SECONDS', value: '2' },
    ]);
  });

  test('runs as the given user; later changes to the caller\'s props change nothing', () => {
    // GIVEN
    const chart = newChart();
    const props = { endpoints: [Endpoint.of('db.example.com', 5432)], user: 3000, check: WaitForCheck.TCP };
    const wait = new WaitFor(props);
    // WHEN the caller's object changes after construction
    props.check = WaitForCheck.DNS;
    props.endpoints.push(Endpoint.of('cache.example.com', 6379));
    new StatelessService(chart, 'web', { container: APP, patterns: [wait] });
    // THEN
    const c = container(deploymentSpec(chart), 'wait-for');
    expect(c.securityContext).toMatchObject({ runAsUser: 3000, runAsGroup: 3000, runAsNonRoot: true });
    expect(c.env[0]).toEqual({ name: 'WAIT_CHECK', value: 'tcp' });
    expect(c.args).toEqual(['db.example.com:5432']);
  });

  test('fails when the user is root or the check is not a WaitForCheck', () => {
    const endpoints = [Endpoint.of('db.example.com', 5432)];
    expect(errorOf(() => new WaitFor({ endpoints, user: 0 }))).toBe('[WaitFor "wait-for"] user must be a numeric non-root user id >= 1 '
      + '(got 0); 0 is root, which the restricted Pod Security Standard forbids. Fix: use a non-root id such as 65532.');
    expect(errorOf(() => new WaitFor({ endpoints, check: 'http' as WaitForCheck }))).toBe('[WaitFor "wait-for"] check must be a '
      + 'WaitForCheck (got "http"). Fix: use WaitForCheck.TCP or WaitForCheck.DNS.');
  });

  test('honours timeout, interval, DNS checks and the image', () => {
    // GIVEN
    const chart = newChart();
    const wait = new WaitFor({
      name: 'wait-dns',
      endpoints: [Endpoint.of('db.example.com', 5432)],
      check: WaitForCheck.DNS,
      timeout: Duration.minutes(2),
      interval: Duration.seconds(5),
      image: 'busybox:1.37.0',
    });
    // WHEN
    new StatelessService(chart, 'web', { container: APP, patterns: [wait] });
    // THEN
    const c = container(deploymentSpec(chart), 'wait-dns');
    expect(wait.timeoutSeconds).toBe(120);
    expect(c.image).toBe('busybox:1.37.0');
    expect(c.command[2]).toContain('lookup() { nslookup "$1" >/dev/null 2>&1; }');
    expect(c.command[2]).toContain('if [ "$WAIT_CHECK" = dns ]; then resolves "$host" && break');
    expect(c.env).toEqual([
      { name: 'WAIT_CHECK', value: 'dns' },
      { name: 'WAIT_TIMEOUT_SECONDS', value: '120' },
      { name: 'WAIT_INTERVAL_SECONDS', value: '5' },
    ]);
  });

  test('the script exits non-zero with a clear message when the timeout is reached', () => {
    // GIVEN a rendered WaitFor, and an `nc` that never connects
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [new WaitFor({ endpoints: [Endpoint.of('db', 5432)] })] });
    const c = container(deploymentSpec(chart), 'wait-for');
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-'));
    fs.writeFileSync(path.join(bin, 'nc'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    // WHEN it runs with a one-second timeout
    const r = runShell(c.command, c.args, { PATH: `${bin}:${process.env.PATH}`, WAIT_CHECK: 'tcp', WAIT_TIMEOUT_SECONDS: '1', WAIT_INTERVAL_SECONDS: '1' });
    // THEN
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('wait-for: db:5432 is not available after 1s (check: tcp), giving up\n');
  });

  test('the script checks every endpoint in turn and succeeds once all answer', () => {
    // GIVEN an `nc` that records its arguments and connects
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new WaitFor({ endpoints: [Endpoint.of('db', 5432), Endpoint.of('::1', 6379)] })],
    });
    const c = container(deploymentSpec(chart), 'wait-for');
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-'));
    const log = path.join(bin, 'calls');
    fs.writeFileSync(path.join(bin, 'nc'), `#!/bin/sh\necho "$@" >> ${log}\nexit 0\n`, { mode: 0o755 });
    // WHEN
    const r = runShell(c.command, c.args, { PATH: `${bin}:${process.env.PATH}`, WAIT_CHECK: 'tcp', WAIT_TIMEOUT_SECONDS: '5', WAIT_INTERVAL_SECONDS: '1' });
    // THEN
    expect(r.status).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('-z -w 2 db 5432\n-z -w 2 ::1 6379\n');
    expect(r.stdout).toBe('wait-for: db:5432 is available\nwait-for: ::1:6379 is available\n');
  });

  test('connect(endpoint, { waitFor: true }) adds a WaitFor for that endpoint', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    // WHEN
    web.connect(Endpoint.of('db.example.com', 5432, { scheme: 'postgres' }), { envPrefix: 'DB', waitFor: true });
    // THEN
    const spec = deploymentSpec(chart);
    const c = container(spec, 'wait-db');
    expect(c.args).toEqual(['db.example.com:5432']);
    expect(c.env).toContainEqual({ name: 'WAIT_CHECK', value: 'tcp' });
    expect(web.patterns.map(p => p.name)).toEqual(['wait-db']);
    expect(container(spec, 'app').env).toContainEqual({ name: 'DB_URL', value: 'postgres://db.example.com:5432' });
  });

  test('fails when given no endpoints', () => {
    expect(errorOf(() => new WaitFor({ endpoints: [] }))).toBe(
      '[WaitFor "wait-for"] endpoints must list at least one endpoint to wait for (got []). '
      + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.');
  });

  test('fails when the timeout is not a whole number of seconds', () => {
    expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.millis(1500) }))).toBe(
      '[WaitFor "wait-for"] timeout must be a whole number of seconds, at least 1 (got 1 second 500 millis). Fix: use e.g. Duration.seconds(30).');
  });

  test('fails when the interval is longer than the timeout', () => {
    expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.seconds(5), interval: Duration.seconds(10) }))).toBe(
      '[WaitFor "wait-for"] interval (got 10 seconds) is longer than timeout (got 5 seconds), so the step would sleep past its '
      + 'deadline after the first failed attempt. Fix: use an interval no longer than the timeout, e.g. interval: Duration.seconds(2).');
  });

  test('accepts an interval equal to the timeout', () => {
    const wait = new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.seconds(5), interval: Duration.seconds(5) });
    expect(wait.timeoutSeconds).toBe(5);
  });

  test('fails when an endpoint host would reach nc or nslookup as an option', () => {
    expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432), { host: '-e', port: 5432, url: '-e:5432' }] }))).toBe(
      '[WaitFor "wait-for"] endpoints[1] host must be a DNS name or an IP address (got "-e"). '
      + 'Fix: use a name like "db.prod.svc.cluster.local" or an address like "10.0.0.7".');
  });

  test('accepts DNS names (partly or fully qualified, absolute) and IP addresses', () => {
    const hosts = ['db', 'mydb.other-ns', 'mydb.other-ns.svc.cluster.local.', '_pg._tcp.db.example.com', '10.0.0.7', '::1', '[fd00::7]'];
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [new WaitFor({ endpoints: hosts.map(h => Endpoint.of(h, 5432)) })] });
    expect(container(deploymentSpec(chart), 'wait-for').args).toEqual(hosts.map(h => `${h}:5432`));
  });

  test('fails when the image uses the latest tag', () => {
    expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], image: 'busybox:latest' }))).toBe(
      '[WaitFor "wait-for"] image "busybox:latest" uses the "latest" tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "busybox:1.2.3", or a digest.');
  });
});
