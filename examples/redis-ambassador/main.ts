/**
 * redis-ambassador: the ambassador (proxy) pattern.
 *
 * The cart service talks to Redis on 127.0.0.1:6379, as if Redis ran next to
 * it. An HAProxy sidecar in the same Pod forwards each connection to one of
 * three Redis read replicas in the `data` namespace, health-checks them and
 * routes around a replica that is down. The app finds the address in
 * REDIS_ADDR and carries no Redis host names in its code or config.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Ambassador, BalanceAlgorithm, Endpoint, KubernetesVersion, PodDiagrams, SidecarMode, StatelessService } from '../../src';

class RedisAmbassador extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // the members of the Redis StatefulSet, by their stable network identity
    const replicas = [0, 1, 2].map(i => Endpoint.of(`redis-${i}.redis-headless.data.svc.cluster.local`, 6379));

    new StatelessService(this, 'cart', {
      replicas: 3,
      // the proxy starts before the app, so the app's first connection finds it
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      container: {
        image: 'registry.example.com/shop/cart:1.4.2',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        securityContext: { user: 10001, group: 10001 },
        resources: {
          cpu: { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
        },
      },
      patterns: [
        new Ambassador({
          name: 'redis',
          listenPort: 6379,
          upstreams: replicas,
          envVar: 'REDIS_ADDR',
          // connection pools hold connections open: spread them by count
          balance: BalanceAlgorithm.LEAST_CONNECTIONS,
        }),
      ],
    });
  }
}

const app = new App();
new RedisAmbassador(app, 'redis-ambassador');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
