/**
 * Objects of another cdk8s-plus package (cdk8s-plus-33 is what `cdk8s init
 * typescript-app` installs) are refused: TypeScript refuses them at compile
 * time, the workload refuses them at run time with the fix.
 */
import * as fs from 'fs';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import { StatefulService, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const IMAGE = 'registry.example.com/shop/web:1.0.0';
const PLUS33_VERSION: string = JSON.parse(fs.readFileSync(require.resolve('cdk8s-plus-33/package.json'), 'utf8')).version;

function fix(name: string): string {
  return 'this library is built on cdk8s-plus-27, and objects of two cdk8s-plus packages do not mix (TypeScript reports most of them as '
    + `"separate declarations of a private property"). Fix: import ${name} from 'cdk8s-plus-27' (npm install cdk8s-plus-27) `
    + 'for every object you pass to this library.';
}

describe('objects of another cdk8s-plus package', () => {
  test('cdk8s-plus-27 objects are accepted', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: {
        image: IMAGE,
        securityContext: { user: 10001 },
        ports: [{ number: 8080 }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        envVariables: { MODE: kplus.EnvValue.fromValue('prod') },
        resources: { cpu: { request: kplus.Cpu.millis(100) } },
      },
    });
    // THEN
    const app = podSpec(only(synth(chart), 'Deployment')).containers[0];
    expect(app.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTP' });
    expect(app.env).toEqual([{ name: 'MODE', value: 'prod' }]);
  });

  test('fails when a probe comes from cdk8s-plus-33', () => {
    // GIVEN a Probe made by cdk8s-plus-33
    const chart = newChart();
    const probe = plus33.Probe.fromHttpGet('/ready', { port: 8080 });
    // WHEN / THEN
    expect(errorOf(() => new StatelessService(chart, 'web', {
      // @ts-expect-error the compiler refuses it too: separate declarations of a private property
      container: { image: IMAGE, ports: [{ number: 8080 }], readiness: probe },
    }))).toBe(`[test/web] container.readiness must come from cdk8s-plus-27 (got Probe of cdk8s-plus-33 ${PLUS33_VERSION}): `
      + fix('Probe'));
  });

  test('fails when an env value deep in the props comes from cdk8s-plus-33', () => {
    // GIVEN an EnvValue made by cdk8s-plus-33: it has no private members, so the compiler accepts it
    const chart = newChart();
    const value = plus33.EnvValue.fromValue('prod');
    // WHEN / THEN
    expect(errorOf(() => new StatelessService(chart, 'web', {
      container: { image: IMAGE, envVariables: { MODE: value } },
    }))).toBe(`[test/web] container.envVariables.MODE must come from cdk8s-plus-27 (got EnvValue of cdk8s-plus-33 ${PLUS33_VERSION}): `
      + fix('EnvValue'));
  });

  test('fails when a mounted volume comes from cdk8s-plus-33, naming its place in a list', () => {
    // GIVEN a Volume made by cdk8s-plus-33
    const chart = newChart();
    const volume = plus33.Volume.fromEmptyDir(chart, 'cache', 'cache');
    // WHEN / THEN
    expect(errorOf(() => new StatefulService(chart, 'db', {
      container: {
        image: IMAGE,
        ports: [{ number: 5432 }],
        // @ts-expect-error the compiler refuses it too
        volumeMounts: [{ path: '/cache', volume }],
      },
      volumeClaimTemplates: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(1) }],
    }))).toBe(`[test/db] container.volumeMounts[0].volume must come from cdk8s-plus-27 (got Volume of cdk8s-plus-33 ${PLUS33_VERSION}): `
      + fix('Volume'));
  });
});
