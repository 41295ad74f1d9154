/**
 * Synthesizes a small app to stdout, for the determinism test: one workload
 * whose Pod carries two ConfigMaps, named so that a locale-aware order would
 * differ between locales ("aa" sorts after "z" in Danish).
 */
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { Ambassador, Endpoint, HttpAdapter, StatelessService } from '../../src';

const app = new App({ outdir: process.argv[2] });
const chart = new Chart(app, 'locale');
new StatelessService(chart, 'web', {
  container: { image: 'nginx:1.27.2', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 101, group: 101 } },
  patterns: [
    new HttpAdapter({ name: 'z-adapter', port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }] }),
    new Ambassador({ name: 'aa-proxy', listenPort: 6379, upstreams: [Endpoint.of('redis.data.svc.cluster.local', 6379)] }),
  ],
});
const collator = new Intl.Collator().compare('aa', 'z');
process.stdout.write(`collator ${collator}\n${Yaml.stringify(...Testing.synth(chart))}`);
