import * as kplus from 'cdk8s-plus-27';
import { Endpoint, InitStep, LogCollector, LogDestination, Sidecar, StatelessService, WaitFor } from '../../src';
import { defaultPullPolicy, imageTag, isPinnedImage } from '../../src/pod/image-reference';
import { newChart, only, podSpec, synth } from '../util';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('imageTag', () => {
  test.each([
    ['nginx:1.27.2', '1.27.2'], ['localhost:5000/app:1.0', '1.0'], ['localhost:5000/app', undefined], [`app:2@${DIGEST}`, '2'],
    [`app@${DIGEST}`, undefined], ['nginx', undefined], ['nginx:', undefined],
  ])('of %j is %j', (image, tag) => expect(imageTag(image)).toBe(tag));
});

describe('isPinnedImage / defaultPullPolicy', () => {
  test.each(['nginx:1.27.2', `nginx@${DIGEST}`, `nginx:latest@${DIGEST}`, 'registry:5000/team/app:v1'])('%j is pinned: IfNotPresent', image => {
    expect(isPinnedImage(image)).toBe(true);
    expect(defaultPullPolicy(image)).toBe(kplus.ImagePullPolicy.IF_NOT_PRESENT);
  });
  test.each(['nginx', 'nginx:latest', 'registry:5000/team/app'])('%j is not pinned: Always', image => {
    expect(isPinnedImage(image)).toBe(false);
    expect(defaultPullPolicy(image)).toBe(kplus.ImagePullPolicy.ALWAYS);
  });
});

describe('image pull policy of the rendered containers', () => {
  test('defaults: IfNotPresent for the pinned main container, init step and sidecar', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { image: `nginx:1.27.2@${DIGEST}`, securityContext: { user: 10001 }, ports: [{ number: 8080 }] },
      patterns: [
        new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432)] }),
        new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() }),
      ],
    });
    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    // THEN
    const policies = [...spec.initContainers, ...spec.containers].map((c: any) => [c.name, c.imagePullPolicy]);
    expect(policies).toEqual([['wait-for', 'IfNotPresent'], ['app', 'IfNotPresent'], ['log-collector', 'IfNotPresent']]);
  });

  test('an explicit choice wins', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { image: 'nginx:1.27.2', imagePullPolicy: kplus.ImagePullPolicy.ALWAYS, securityContext: { user: 10001 } },
      patterns: [new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432)] })],
    });
    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    // THEN
    expect(spec.containers[0].imagePullPolicy).toBe('Always');
    expect(spec.initContainers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('an InitStep and a Sidecar take a pull policy of their own', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { image: 'nginx:1.27.2', securityContext: { user: 10001 } },
      patterns: [
        new InitStep({ name: 'prepare', image: 'busybox:1.36.1', command: ['true'], imagePullPolicy: kplus.ImagePullPolicy.ALWAYS }),
        new InitStep({ name: 'check', image: 'busybox:1.36.1', command: ['true'] }),
        new Sidecar({ name: 'helper', image: 'busybox:1.36.1', command: ['sleep', '1d'], imagePullPolicy: kplus.ImagePullPolicy.NEVER }),
      ],
    });
    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    // THEN
    const policies = [...spec.initContainers, ...spec.containers].map((c: any) => [c.name, c.imagePullPolicy]);
    expect(policies).toEqual([['prepare', 'Always'], ['check', 'IfNotPresent'], ['app', 'IfNotPresent'], ['helper', 'Never']]);
  });
});
