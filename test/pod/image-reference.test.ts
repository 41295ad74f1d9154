import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { Endpoint, InitStep, LogCollector, LogDestination, Sidecar, StatelessService, WaitFor } from '../../src';
import { defaultPullPolicy, imageReferenceProblem, imageTag, isPinnedImage, matchesReferenceGrammar, referenceProblemByParts } from '../../src/pod/image-reference';
import { newChart, only, podSpec, synth } from '../util';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('the one expression for image references', () => {
  // pieces that sit on the edges of the grammar: registries (with a '.', a port or localhost), upper case, separators,
  // tags and digests, and characters a reference cannot hold
  const PIECES = ['a', 'z', '0', '9', 'B', 'Q', '.', '-', '_', '__', '--', '/', ':', '@', ' ', '+', 'localhost', 'example.com',
    ':5000', 'latest', `sha256:${'c'.repeat(32)}`, `sha256:${'F'.repeat(64)}`, 'x'.repeat(60), 'A'.repeat(3)];
  const candidate = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map(p => p.join(''));

  test('accepts exactly the references the part-by-part check accepts', () => {
    fc.assert(fc.property(candidate, image => {
      expect(matchesReferenceGrammar(image)).toBe(referenceProblemByParts(image) === undefined);
    }), { numRuns: 20000 });
  });

  test.each([
    ['nginx', true], ['nginx:1.27.2', true], ['localhost/app', true], ['localhost:5000/app:1.0', true],
    ['registry.example.com/team/app:1.2.3', true], ['Registry.Example.com/team/app', true], [`app:2@sha256:${'b'.repeat(64)}`, true],
    ['a.b', true], ['a_b.c/d', false], ['MyHost/app', false], ['my.Host/App', false], ['nginx:', false], ['a//b', false],
    ['host:abc/app', false], ['-app', false], [`app@sha256:${'b'.repeat(31)}`, false], ['app:1.0 ', false],
  ])('%j: %j, as the part-by-part check says', (image, valid) => {
    expect(matchesReferenceGrammar(image)).toBe(valid);
    expect(referenceProblemByParts(image) === undefined).toBe(valid);
    expect(imageReferenceProblem(image) === undefined).toBe(valid);
  });
});

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
