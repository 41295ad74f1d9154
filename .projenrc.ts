import { cdk8s, javascript } from 'projen';

const SILENCE_NODE_WARNING = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-container-patterns',
  description:
    'Typed container design patterns (init steps, log-collecting sidecars, ambassadors, adapters) and workload kinds for cdk8s.',
  author: 'cdk8s-container-patterns maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-container-patterns/cdk8s-container-patterns.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'kubernetes', 'sidecar', 'ambassador', 'adapter', 'init-container', 'statefulset', 'constructs'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',

  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // the fluent-bit configuration is rendered with the same YAML library cdk8s bundles (and at the same version);
  // jsii needs a runtime dependency that is not a jsii module to be bundled
  bundledDeps: ['yaml@^2.9.1'],
  devDeps: [
    'cdk8s-plus-27@^2.9.5',
    // what `cdk8s init typescript-app` installs: the tests show it does not mix with cdk8s-plus-27
    'cdk8s-plus-33@^2.5.57',
    // the L1 types of each Kubernetes version (imports/k8s.d.ts), generated from that version's schema: the
    // examples are checked against the fields of the version each workload targets (test/harness/k8s-fields.ts)
    'cdk8s-plus-28@^2.5.6',
    'cdk8s-plus-29@^2.6.0',
    'cdk8s-plus-30@^2.4.10',
    'cdk8s-plus-31@^2.6.43',
    'cdk8s-plus-32@^2.5.92',
    'cdk8s-cli@^2.207.0',
    'kubernetes-models@^4.5',
    'fast-check@^4',
    'autocannon@^8',
    '@types/autocannon',
    'ajv@^6',
    // the browser test renders every generated Pod diagram with Mermaid's own bundle in Debian's chromium
    'mermaid@^11',
    'playwright-core@^1',
  ],

  // The JS package is the one that is built on every run; the other targets are
  // configured so the library can be published to those ecosystems as well.
  publishToPypi: { distName: 'cdk8s-container-patterns', module: 'cdk8s_container_patterns' },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_container_patterns',
    mavenGroupId: 'io.github.cdk8s-container-patterns',
    mavenArtifactId: 'cdk8s-container-patterns',
  },
  publishToNuget: { dotNetNamespace: 'Cdk8sContainerPatterns', packageId: 'Cdk8sContainerPatterns' },
  publishToGo: { moduleName: 'github.com/cdk8s-container-patterns/cdk8s-container-patterns-go' },

  github: false,
  release: false,
  docgen: true,

  // The compiled JavaScript carries no inline source maps: with the sources inlined they made
  // the package's JavaScript seven times its size, and every `require` of the library read and
  // scanned them (about 10 ms). Source maps are written next to the files instead.
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: false, sourceMap: true },
  },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      coverageReporters: ['text-summary', 'json-summary'],
    },
  },
  gitignore: ['/test-reports/', '/bench/out/', '/.tools/', '/examples/*/helm/'],
});

// Every task runs with the Node end-of-life notice silenced.
for (const [name, value] of Object.entries(SILENCE_NODE_WARNING)) {
  project.tasks.addEnvironment(name, value);
}

// Only the JavaScript package is built by `package`; the other languages are
// packaged by `package-all` wherever their toolchains are available.
const pkg = project.tasks.tryFind('package');
if (pkg) {
  pkg.reset('npx projen package:js');
}

// jest transpiles tests without type checking them; check them (and the src they import) first
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json', { name: 'type-check tests' });

project.addTask('examples', {
  description: 'Synthesize every examples/*/main.ts into examples/<name>/dist/*.k8s.yaml',
  exec: 'ts-node --project test/tsconfig.json scripts/synth-examples.ts',
  receiveArgs: true,
});

project.addTask('import:crds', {
  description: 'Regenerate the typed CRD classes under imports/ from the CRD files kept in imports/crds/',
  exec: 'cdk8s import --language typescript --output imports imports/crds/etcdclusters.etcd.database.coreos.com.yaml',
});

project.addTask('bench', {
  description: 'Synth-cost benchmark: library vs hand-written cdk8s-plus vs the YAML floor (BENCH_SIZES=100,1000,10000)',
  exec: 'ts-node --project test/tsconfig.json bench/run.ts',
});

// Examples and the CRD classes they import are compiled by the dev tsconfig, not shipped in
// the package (imports/ is TypeScript source that would crash when required from the package;
// apps run `cdk8s import` for their own CRDs); neither are the tools the tests fetch (.tools/),
// nor the update bot's configuration.
project.npmignore?.addPatterns('/examples/', '/bench/', '/scripts/', '/imports/', '/docs/', '/.ci/', '/.tools/', '/renovate.json');

project.synth();
