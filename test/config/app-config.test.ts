import { AppConfig, EnvConfig, MountedConfig, StatelessService } from '../../src';
import { newChart, only, podSpec, synth } from '../util';

const APP = { image: 'ghcr.io/example/orders:1.4.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

describe('AppConfig', () => {
  test('defaults: start-time settings in env vars and reloadable files, side by side', () => {
    // GIVEN
    const chart = newChart();
    const env = AppConfig.fromEnv(chart, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    const files = AppConfig.fromFiles(chart, 'files', { mountPath: '/etc/orders', files: [{ key: 'routes.yaml', content: '- /orders\n' }] });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [env, files] });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('fromEnv gives an EnvConfig and fromFiles a MountedConfig', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    const env = AppConfig.fromEnv(chart, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    const files = AppConfig.fromFiles(chart, 'files', { mountPath: '/etc/orders', files: [{ key: 'routes.yaml', content: '' }] });
    // THEN
    expect(env).toBeInstanceOf(EnvConfig);
    expect(files).toBeInstanceOf(MountedConfig);
    expect([env.name, files.name]).toEqual(['env-config', 'config']);
  });

  test('the two kinds reach the main container differently: env vars from an immutable ConfigMap, files from a mutable one', () => {
    // GIVEN
    const chart = newChart();
    const env = AppConfig.fromEnv(chart, 'env', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    const files = AppConfig.fromFiles(chart, 'files', { mountPath: '/etc/orders', files: [{ key: 'routes.yaml', content: '' }] });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [env, files] });
    // THEN
    const manifests = synth(chart);
    const main = podSpec(only(manifests, 'Deployment')).containers[0];
    expect(main.env).toEqual([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: env.configMapName, key: 'LOG_LEVEL' } } }]);
    expect(main.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/orders', readOnly: true }]);
    const immutability = manifests.filter(m => m.kind === 'ConfigMap').map(m => [m.metadata.name === env.configMapName, m.immutable]);
    expect(immutability).toEqual([[true, true], [false, false]]);
  });
});
