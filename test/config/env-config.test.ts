import * as kplus from 'cdk8s-plus-27';
import { EnvConfig, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP = { image: 'ghcr.io/example/orders:1.4.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

function build(variables: { name: string; value: string }[]): { manifests: any[]; config: EnvConfig } {
  const chart = newChart();
  const config = new EnvConfig(chart, 'orders-env', { variables });
  new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
  return { manifests: synth(chart), config };
}

describe('EnvConfig', () => {
  test('defaults: an immutable ConfigMap named after its content, read into env vars', () => {
    // GIVEN
    const chart = newChart();
    const config = new EnvConfig(chart, 'orders-env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu-west-1' }] });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the ConfigMap is immutable and its name ends with a hash of the content', () => {
    // GIVEN / WHEN
    const { manifests, config } = build([{ name: 'LOG_LEVEL', value: 'info' }]);
    // THEN
    const cm = only(manifests, 'ConfigMap');
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual({ LOG_LEVEL: 'info' });
    expect(cm.metadata.name).toBe(config.configMapName);
    expect(config.configMapName).toMatch(/^test-orders-env-c8[0-9a-f]{6}-[0-9a-f]{10}$/);
    expect(config.configMapName.endsWith(`-${config.contentHash}`)).toBe(true);
  });

  test('every variable reaches the main container as a configMapKeyRef', () => {
    // GIVEN / WHEN
    const { manifests, config } = build([{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu-west-1' }]);
    // THEN
    const env = podSpec(only(manifests, 'Deployment')).containers[0].env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: config.configMapName, key: 'LOG_LEVEL' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: config.configMapName, key: 'REGION' } } },
    ]);
    expect(config.variableNames).toEqual(['LOG_LEVEL', 'REGION']);
  });

  test('with envPrefix, the variables carry the prefix and the ConfigMap keys do not', () => {
    // GIVEN
    const chart = newChart();
    const config = new EnvConfig(chart, 'orders-env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }], envPrefix: 'ORDERS_' });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
    // THEN
    const manifests = synth(chart);
    expect(only(manifests, 'ConfigMap').data).toEqual({ LOG_LEVEL: 'info' });
    expect(podSpec(only(manifests, 'Deployment')).containers[0].env).toEqual([
      { name: 'ORDERS_LOG_LEVEL', valueFrom: { configMapKeyRef: { name: config.configMapName, key: 'LOG_LEVEL' } } },
    ]);
    expect(config.variableNames).toEqual(['ORDERS_LOG_LEVEL']);
  });

  test('a change of a value changes the Pod template, so the Pods roll', () => {
    // GIVEN the same app with two versions of its settings
    const before = build([{ name: 'LOG_LEVEL', value: 'info' }]);
    const after = build([{ name: 'LOG_LEVEL', value: 'debug' }]);
    // THEN the ConfigMap name and so the Pod template differ
    expect(after.config.configMapName).not.toBe(before.config.configMapName);
    const template = (m: any[]) => only(m, 'Deployment').spec.template;
    expect(template(after.manifests)).not.toEqual(template(before.manifests));
  });

  test('rolling back the settings brings back the same ConfigMap name and Pod template', () => {
    // GIVEN the same settings built twice, in a different order
    const first = build([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const again = build([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    // THEN the name depends on the content only
    expect(again.config.configMapName).toBe(first.config.configMapName);
    expect(only(build([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]).manifests, 'Deployment'))
      .toEqual(only(first.manifests, 'Deployment'));
  });

  test('one EnvConfig can be attached to several workloads', () => {
    // GIVEN
    const chart = newChart();
    const config = new EnvConfig(chart, 'shared-env', { variables: [{ name: 'REGION', value: 'eu-west-1' }], configMapPrefix: 'shared-env' });
    // WHEN
    new StatelessService(chart, 'api', { container: APP, patterns: [config] });
    new StatelessService(chart, 'worker', { container: { image: APP.image, securityContext: { user: 10001 } }, patterns: [config] });
    // THEN one ConfigMap, referred to by both
    const manifests = synth(chart);
    expect(manifests.filter(m => m.kind === 'ConfigMap').map(m => m.metadata.name)).toEqual([config.configMapName]);
    expect(config.configMapName).toBe(`shared-env-${config.contentHash}`);
    for (const d of manifests.filter(m => m.kind === 'Deployment')) {
      expect(podSpec(d).containers[0].env[0].valueFrom.configMapKeyRef.name).toBe(config.configMapName);
    }
  });

  describe('fails when', () => {
    test('fails when there are no variables', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [] }))).toBe(
        '[test/env] variables must list at least one setting (got []). Fix: e.g. variables: [{ name: "LOG_LEVEL", value: "info" }].');
    });

    test('fails when a variable name is not an env var name', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: '1LEVEL', value: 'x' }] }))).toBe(
        '[test/env] variables[0].name must be a valid environment variable name: letters, digits, \'_\', \'-\' or \'.\', not starting '
        + 'with a digit (got "1LEVEL"). Fix: use a name like "REDIS_ADDR".');
    });

    test('fails when a variable is given twice', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }))).toBe(
        '[test/env] variables lists A more than once. Fix: set each variable once.');
    });

    test('fails when a variable looks like a secret', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }))).toBe(
        '[test/env] variable DB_PASSWORD looks like a secret, but an EnvConfig is a ConfigMap, readable by anyone who can read the '
        + 'app\'s manifests. Fix: keep the value in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", '
        + '"db_password").envValue()).');
    });

    test.each([['AWS_SECRET_ACCESS_KEY'], ['SECRET_KEY_BASE'], ['db.password']])('fails when the variable %s looks like a secret', name => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name, value: 'hunter2' }] }))).toBe(
        `[test/env] variable ${name} looks like a secret, but an EnvConfig is a ConfigMap, readable by anyone who can read the `
        + 'app\'s manifests. Fix: keep the value in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", '
        + `"${name.toLowerCase()}").envValue()).`);
    });

    test('fails when a variable is a URL with a password, without echoing the password', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'DATABASE_URL', value: 'postgres://user:pass@host/db' }] }))).toBe(
        '[test/env] variable DATABASE_URL: its value is a URL with a password ("postgres://user:****@host/db"), but an EnvConfig is a '
        + 'ConfigMap, readable by anyone who can read the app\'s manifests. Fix: keep the URL (or its password) in a Secret and read '
        + 'it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", "database_url").envValue()).');
    });

    test('accepts a URL with a user but no password, and locations of secrets', () => {
      const chart = newChart();
      const env = new EnvConfig(chart, 'env', {
        variables: [
          { name: 'DATABASE_URL', value: 'postgres://user@host/db' }, { name: 'TOKEN_FILE', value: '/var/run/secrets/token' },
        ],
      });
      expect(env.variableNames).toEqual(['DATABASE_URL', 'TOKEN_FILE']);
    });

    test('fails when the configMapPrefix leaves no room for the hash', () => {
      const chart = newChart();
      const prefix = 'x'.repeat(53);
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'A', value: '1' }], configMapPrefix: prefix }))).toBe(
        `[test/env] configMapPrefix must be at most 52 characters, leaving room for the content hash (got "${prefix}", 53 characters). `
        + 'Fix: shorten it.');
    });

    test('fails when the envPrefix makes an invalid variable name', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'LEVEL', value: 'x' }], envPrefix: '9_' }))).toBe(
        '[test/env] envPrefix + variables[0].name must be a valid environment variable name: letters, digits, \'_\', \'-\' or \'.\', '
        + 'not starting with a digit (got "9_LEVEL"). Fix: use a name like "REDIS_ADDR".');
    });

    test('fails when the envPrefix is empty', () => {
      const chart = newChart();
      expect(errorOf(() => new EnvConfig(chart, 'env', { variables: [{ name: 'LEVEL', value: 'x' }], envPrefix: '' }))).toBe(
        '[test/env] envPrefix must be a non-empty prefix like "APP_" (got ""). Fix: drop envPrefix to use the names as they are, '
        + 'or give a prefix.');
    });

    test('fails when a prefixed variable clashes with one of the main container', () => {
      const chart = newChart();
      const config = new EnvConfig(chart, 'env', { variables: [{ name: 'LEVEL', value: 'info' }], envPrefix: 'LOG_' });
      expect(errorOf(() => new StatelessService(chart, 'orders', {
        container: { ...APP, envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') } },
        patterns: [config],
      }))).toBe('[test/orders/env-config] env var LOG_LEVEL is already set on container "app"; setting it again would silently '
        + 'replace it. Fix: use a different name or prefix.');
    });

    test('fails when a variable is already set on the main container', () => {
      const chart = newChart();
      const config = new EnvConfig(chart, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
      expect(errorOf(() => new StatelessService(chart, 'orders', {
        container: { ...APP, envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') } },
        patterns: [config],
      }))).toBe('[test/orders/env-config] env var LOG_LEVEL is already set on container "app"; setting it again would silently '
        + 'replace it. Fix: use a different name or prefix.');
    });
  });
});
