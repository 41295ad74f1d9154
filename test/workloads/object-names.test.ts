import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BatchTask, NodeAgent, ScheduledTask, StatelessService } from '../../src';
import { errorOf, newChart, only, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const TASK: kplus.ContainerProps = { image: 'busybox:1.36.1', securityContext: { user: 10001 }, command: ['sh', '-c', 'echo done'] };
const NIGHTLY = Cron.schedule({ minute: '0', hour: '3' });

describe('explicit object names', () => {
  test('without a name, every object keeps the name derived from the construct path', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', { container: APP });
    // THEN
    const manifests = synth(chart);
    expect(only(manifests, 'Deployment').metadata.name).toMatch(/^test-web-c8[0-9a-f]{6}$/);
    expect(only(manifests, 'Service').metadata.name).toMatch(/^test-web-service-c8[0-9a-f]{6}$/);
  });

  test('a StatelessService name names its Deployment and, by default, its Service', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    const web = new StatelessService(chart, 'web', { container: APP, name: 'nginx' });
    // THEN
    const manifests = synth(chart);
    expect(only(manifests, 'Deployment').metadata.name).toBe('nginx');
    expect(only(manifests, 'Service').metadata.name).toBe('nginx');
    expect(web.host).toBe('nginx');
  });

  test('the Service of a StatelessService can be named on its own', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', { container: APP, name: 'web-v2', service: { name: 'web' } });
    // THEN
    const manifests = synth(chart);
    expect(only(manifests, 'Deployment').metadata.name).toBe('web-v2');
    expect(only(manifests, 'Service').metadata.name).toBe('web');
  });

  test('a NodeAgent, a BatchTask and a ScheduledTask take their names', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new NodeAgent(chart, 'agent', { container: { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 10001 } }, name: 'log-agent' });
    new BatchTask(chart, 'migrate', { container: TASK, name: 'migrate-v3' });
    new ScheduledTask(chart, 'nightly', { container: TASK, schedule: NIGHTLY, name: 'nightly-backup' });
    // THEN
    const manifests = synth(chart);
    expect(only(manifests, 'DaemonSet').metadata.name).toBe('log-agent');
    expect(only(manifests, 'Job').metadata.name).toBe('migrate-v3');
    expect(only(manifests, 'CronJob').metadata.name).toBe('nightly-backup');
  });

  test('fails when a workload name is not a DNS subdomain', () => {
    const chart = newChart();
    expect(errorOf(() => new NodeAgent(chart, 'agent', { container: { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 10001 } }, name: 'Log_Agent' })))
      .toBe('[test/agent] name must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
        + '(got "Log_Agent"). Fix: use a name like "web".');
  });

  test('fails when the Service name of a StatelessService is not a DNS-1035 label', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, service: { name: 'web.v2' } })))
      .toBe('[test/web] service.name must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and '
        + 'ending with a letter or digit, at most 63 characters (got "web.v2"). Fix: use a name like "web".');
  });

  test('fails when the Service would take a workload name that is no DNS-1035 label', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, name: 'web.v2' })))
      .toBe('[test/web] the name service.name takes from name when it is not set must be a DNS-1035 label: lowercase letters, '
        + 'digits and \'-\', starting with a letter and ending with a letter or digit, at most 63 characters (got "web.v2"). '
        + 'Fix: use a name like "web".');
  });

  test('a workload name with a dot is fine when its Service is named on its own', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, name: 'web.v2', service: { name: 'web' } });
    expect(only(synth(chart), 'Deployment').metadata.name).toBe('web.v2');
  });

  test('fails when a CronJob name leaves no room for the suffix of its Jobs', () => {
    const chart = newChart();
    const name = 'n'.repeat(53);
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { container: TASK, schedule: NIGHTLY, name })))
      .toBe(`[test/nightly] name "${name}" has 53 characters, but the CronJob controller appends an 11-character suffix to name `
        + 'each Job, so Kubernetes refuses it above 52. Fix: choose a name of at most 52 characters.');
  });

  test('fails when a Job name is longer than its Pods\' job-name label allows', () => {
    const chart = newChart();
    const name = 'm'.repeat(64);
    expect(errorOf(() => new BatchTask(chart, 'migrate', { container: TASK, name })))
      .toBe(`[test/migrate] name "${name}" has 64 characters, but a Job's name is the value of the job-name label of its Pods, `
        + 'so Kubernetes refuses it above 63. Fix: choose a name of at most 63 characters.');
  });
});
