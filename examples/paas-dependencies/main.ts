/**
 * paas-dependencies: an app whose dependencies live outside the cluster.
 *
 * The orders service uses a managed PostgreSQL (reached through its DNS name)
 * and a Redis cache on three fixed addresses. Both get a stable in-cluster
 * Service name, so the app's manifests name `orders-db` and `sessions-cache`
 * in every environment, whatever stands behind those names there. The
 * database credentials come from a Secret that already exists in the
 * namespace (synced from the cloud's secret store); the app only refers to it.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AppConfig, ExternalService, PodDiagrams, SecretRef, StatelessService } from '../../src';

class PaasDependencies extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });

    // a managed database: an ExternalName Service, a CNAME to the PaaS host name
    const db = ExternalService.fromHostname(this, 'orders-db', {
      serviceName: 'orders-db',
      hostname: 'orders.c9xk2a7hq1ab.eu-west-1.rds.amazonaws.com',
      ports: [{ name: 'postgres', port: 5432, scheme: 'postgres' }],
    });

    // a cache on fixed addresses: a headless Service plus Endpoints
    const cache = ExternalService.fromIps(this, 'sessions-cache', {
      serviceName: 'sessions-cache',
      ips: ['10.40.3.11', '10.40.3.12', '10.40.3.13'],
      ports: [{ name: 'redis', port: 6379, scheme: 'redis' }],
    });

    // credentials: a reference to an existing Secret, never its content
    const credentials = SecretRef.fromName(this, 'orders-db-credentials');

    // start-time settings: a change rolls the Pods
    const settings = AppConfig.fromEnv(this, 'orders-settings', {
      configMapPrefix: 'orders-settings',
      variables: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_POOL_SIZE', value: '20' },
      ],
    });

    const orders = new StatelessService(this, 'orders', {
      replicas: 3,
      scheme: 'http',
      container: {
        image: 'registry.example.com/shop/orders:2.3.1',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        securityContext: { user: 10001, group: 10001 },
        envVariables: {
          DB_USER: credentials.key('username').envValue(),
          DB_PASSWORD: credentials.key('password').envValue(),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
        },
      },
      patterns: [settings],
    });

    // the app is connected the same way it would be to services of this app
    orders.connect(db, { envPrefix: 'DB' });
    orders.connect(cache, { envPrefix: 'CACHE' });
  }
}

const app = new App();
new PaasDependencies(app, 'paas-dependencies');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
