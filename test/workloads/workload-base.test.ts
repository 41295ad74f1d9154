import * as kplus from 'cdk8s-plus-27';
import { SecretKeyRef, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080 }] };

describe('PatternWorkload main container env', () => {
  test.each([['AWS_SECRET_ACCESS_KEY'], ['SECRET_KEY_BASE'], ['db.password']])('fails when %s is a literal value', name => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', { container: { ...APP, envVariables: { [name]: kplus.EnvValue.fromValue('hunter2') } } });
    // WHEN / THEN
    expect(errorOf(() => synth(chart))).toBe('Validation failed with the following errors:\n  [test/web] main container "app" sets env '
      + `var ${name} to a literal value: its name ${JSON.stringify(name)} looks like a secret, and the value ends up in the manifest, `
      + 'in Git and in every reader of the object. Fix: keep it in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, '
      + `"app-secrets", "${name.toLowerCase().replace(/_/g, '-')}").envValue()).`);
  });

  test('fails when a URL with a password is a literal value, added after construction, and masks the password', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    // WHEN
    web.mainContainer.env.addVariable('DATABASE_URL', kplus.EnvValue.fromValue('postgres://user:pass@host/db'));
    // THEN
    expect(errorOf(() => synth(chart))).toBe('Validation failed with the following errors:\n  [test/web] main container "app" sets env '
      + 'var DATABASE_URL to a literal value: its value is a URL with a password ("postgres://user:****@host/db"), and the value ends '
      + 'up in the manifest, in Git and in every reader of the object. Fix: keep it in a Secret and read it with SecretKeyRef (e.g. '
      + 'SecretKeyRef.of(this, "app-secrets", "database-url").envValue()).');
  });

  test('renders secrets read from a Secret, and plain settings', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: { ...APP, envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') } } });
    web.mainContainer.env.addVariable('DB_PASSWORD', SecretKeyRef.of(chart, 'db', 'password').envValue());
    // WHEN
    const env = podSpec(only(synth(chart), 'Deployment')).containers[0].env;
    // THEN
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'db' } } },
    ]);
  });
});
