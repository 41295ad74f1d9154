import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { SecretKeyRef, SecretRef, StatelessService } from '../../src';
import { EXAMPLES_DIR, parseManifests } from '../harness/examples';
import { FnPattern } from '../pod/support';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const IMAGE = 'ghcr.io/example/orders:1.4.2';

function envOf(manifests: any[], name: string): any {
  return podSpec(only(manifests, 'Deployment')).containers[0].env.find((e: any) => e.name === name);
}

describe('SecretRef', () => {
  test('defaults: an env var read from a key of an existing Secret', () => {
    // GIVEN
    const chart = newChart();
    const credentials = SecretRef.fromName(chart, 'orders-db-credentials');
    // WHEN
    new StatelessService(chart, 'orders', {
      container: { image: IMAGE, securityContext: { user: 10001 }, envVariables: { DB_PASSWORD: credentials.key('password').envValue() } },
    });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('renders a secretKeyRef and never a Secret', () => {
    // GIVEN
    const chart = newChart();
    const credentials = SecretRef.fromName(chart, 'orders-db-credentials');
    // WHEN
    new StatelessService(chart, 'orders', {
      container: {
        image: IMAGE,
        securityContext: { user: 10001 },
        envVariables: {
          DB_USER: credentials.key('username').envValue(),
          DB_PASSWORD: credentials.key('password').envValue(),
        },
      },
    });
    // THEN
    const manifests = synth(chart);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(envOf(manifests, 'DB_PASSWORD')).toEqual({
      name: 'DB_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'password' } },
    });
    expect(envOf(manifests, 'DB_USER').valueFrom.secretKeyRef).toEqual({ name: 'orders-db-credentials', key: 'username' });
  });

  test('an optional key renders optional: true', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    const ref = SecretKeyRef.of(chart, 'feature-flags', 'beta-token', { optional: true });
    new StatelessService(chart, 'orders', { container: { image: IMAGE, securityContext: { user: 10001 }, envVariables: { BETA: ref.envValue() } } });
    // THEN
    expect(envOf(synth(chart), 'BETA').valueFrom.secretKeyRef).toEqual({ name: 'feature-flags', key: 'beta-token', optional: true });
    expect([ref.secretName, ref.key, ref.optional]).toEqual(['feature-flags', 'beta-token', true]);
  });

  test('a pattern can read a secret key through the host', () => {
    // GIVEN a pattern that hands a Secret key to the main container
    const chart = newChart();
    const token = SecretKeyRef.of(chart, 'registry-token', 'token');
    const pattern = new FnPattern('registry-auth', host => host.addMainEnv('REGISTRY_TOKEN', token.envValue()));
    // WHEN
    new StatelessService(chart, 'orders', { container: { image: IMAGE, securityContext: { user: 10001 } }, patterns: [pattern] });
    // THEN
    const manifests = synth(chart);
    expect(envOf(manifests, 'REGISTRY_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'registry-token', key: 'token' });
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
  });

  test('the Secret can be mounted as a volume, still without emitting it', () => {
    // GIVEN
    const chart = newChart();
    const tls = SecretRef.fromName(chart, 'orders-tls');
    const app = new StatelessService(chart, 'orders', { container: { image: IMAGE, securityContext: { user: 10001 } } });
    // WHEN
    app.mainContainer.mount('/etc/tls', kplus.Volume.fromSecret(chart, 'tls', tls.secret), { readOnly: true });
    // THEN
    const manifests = synth(chart);
    expect(podSpec(only(manifests, 'Deployment')).volumes).toEqual([{ name: 'secret-orders-tls', secret: { secretName: 'orders-tls' } }]);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
  });

  test('referring to the same Secret twice from one scope is fine', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    const a = SecretRef.fromName(chart, 'shared');
    const b = SecretRef.fromName(chart, 'shared');
    // THEN
    expect(a.secret).toBe(b.secret);
    expect(b.key('x').envValue().valueFrom).toEqual({ secretKeyRef: { name: 'shared', key: 'x' } });
  });

  test('the paas-dependencies example reads credentials from a Secret it does not create', () => {
    // GIVEN the committed output of the example
    const file = path.join(EXAMPLES_DIR, 'paas-dependencies', 'dist', 'paas-dependencies.k8s.yaml');
    // WHEN
    const manifests = parseManifests(fs.readFileSync(file, 'utf8'));
    // THEN the app reads both keys of orders-db-credentials, and no Secret is in the output
    const env = podSpec(only(manifests, 'Deployment')).containers[0].env;
    const fromSecrets = env.filter((e: any) => e.valueFrom?.secretKeyRef)
      .map((e: any) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
    expect(fromSecrets).toEqual([['DB_USER', 'orders-db-credentials', 'username'], ['DB_PASSWORD', 'orders-db-credentials', 'password']]);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
  });

  describe('fails when', () => {
    test('fails when a secret key is left empty', () => {
      const chart = newChart();
      const credentials = SecretRef.fromName(chart, 'orders-db-credentials');
      expect(errorOf(() => credentials.key(''))).toBe(
        '[test] key of Secret "orders-db-credentials" must be a Secret data key: 1 to 253 letters, digits, \'-\', \'_\' or \'.\' '
        + '(got ""). Fix: name the key to read, e.g. key("password").');
    });

    test('fails when a secret key has characters Kubernetes refuses', () => {
      const chart = newChart();
      expect(errorOf(() => SecretKeyRef.of(chart, 'creds', 'db/password'))).toBe(
        '[test] key of Secret "creds" must be a Secret data key: 1 to 253 letters, digits, \'-\', \'_\' or \'.\' '
        + '(got "db/password"). Fix: name the key to read, e.g. key("password").');
    });

    test('fails when the secret name is empty', () => {
      const chart = newChart();
      expect(errorOf(() => SecretRef.fromName(chart, ''))).toBe(
        '[test] Secret name must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
        + '(got ""). Fix: use a name like "orders-db-credentials".');
    });

    test('fails when the secret name is not a DNS subdomain', () => {
      const chart = newChart();
      expect(errorOf(() => SecretRef.fromName(chart, 'Orders_DB'))).toBe(
        '[test] Secret name must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
        + '(got "Orders_DB"). Fix: use a name like "orders-db-credentials".');
    });
  });
});
