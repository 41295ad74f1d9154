/**
 * wordpress-mysql: a stateless app connected to a stateful database.
 *
 * MySQL is a StatefulService: a StatefulSet with a governing headless
 * Service, a per-replica volume from a volume claim template, and a
 * PodDisruptionBudget. WordPress is a StatelessService that holds only
 * references: the database's endpoints (`connect`) and the keys of an existing
 * Secret. No Secret is created here and no password appears in the manifests.
 *
 * The objects carry chosen names rather than names derived from the construct
 * path, so the DNS names other teams use stay put: the primary is
 * `mysql-0.mysql.blog.svc.cluster.local`, the read Service `mysql-read`.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NetworkPeer, PodDiagrams, StatefulService, StatelessService } from '../../src';

/** The existing Secret with the database credentials (created out of band, e.g. by an external secrets operator). */
const CREDENTIALS_SECRET = 'wordpress-db';

class WordpressMysql extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const credentials = kplus.Secret.fromSecretName(this, 'Credentials', CREDENTIALS_SECRET);
    const secretKey = (key: string) => kplus.EnvValue.fromSecretValue({ secret: credentials, key });
    const scratch = (name: string, sizeMiB: number) =>
      kplus.Volume.fromEmptyDir(this, name, name, { sizeLimit: Size.mebibytes(sizeMiB) });

    const wordpress = new StatelessService(this, 'wordpress', {
      // the Deployment and its Service are both named "wordpress"
      name: 'wordpress',
      replicas: 2,
      // Apache listens on port 80 as the non-root user www-data (33): the safe sysctl
      // net.ipv4.ip_unprivileged_port_start lets it bind there without any capability.
      podSecurityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] },
      container: {
        image: 'wordpress:6.7.1-php8.3-apache',
        ports: [{ number: 80, name: 'http' }],
        securityContext: { user: 33, group: 33 },
        envVariables: {
          WORDPRESS_DB_NAME: kplus.EnvValue.fromValue('wordpress'),
          WORDPRESS_DB_USER: kplus.EnvValue.fromValue('wordpress'),
          WORDPRESS_DB_PASSWORD: secretKey('password'),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        },
        readiness: kplus.Probe.fromTcpSocket({ port: 80 }),
      },
      scheme: 'http',
      // only the ingress controller reaches WordPress
      ingressPolicy: { allowFrom: [NetworkPeer.namespace('ingress-nginx')] },
    });

    const mysql = new StatefulService(this, 'mysql', {
      // the StatefulSet and its headless Service are "mysql", so member 0 is mysql-0.mysql
      name: 'mysql',
      replicas: 1,
      container: {
        image: 'mysql:8.4.3',
        // a fresh volume may hold lost+found, which `mysqld --initialize` refuses; keep the data in a sub-directory
        args: ['mysqld', '--datadir=/var/lib/mysql/data'],
        ports: [{ number: 3306, name: 'mysql' }],
        securityContext: { user: 999, group: 999 },
        envVariables: {
          MYSQL_DATABASE: kplus.EnvValue.fromValue('wordpress'),
          MYSQL_USER: kplus.EnvValue.fromValue('wordpress'),
          MYSQL_PASSWORD: secretKey('password'),
          MYSQL_ROOT_PASSWORD: secretKey('root-password'),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
          memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
        },
        readiness: kplus.Probe.fromTcpSocket({ port: 3306 }),
      },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/mysql' }],
      // the read Service: a ClusterIP over the Ready members
      clientService: { name: 'mysql-read' },
      // only WordPress may open connections to the database
      ingressPolicy: { allowFrom: [NetworkPeer.workload(wordpress)] },
      scheme: 'mysql',
    });
    // mysqld's socket and pid file, and its temporary files
    mysql.mainContainer.mount('/var/run/mysqld', scratch('mysqld-run', 1));
    mysql.mainContainer.mount('/tmp', scratch('mysql-tmp', 256));
    // the database by reference: writes go to the primary, WORDPRESS_DB_HOST=mysql-0.mysql.blog.svc.cluster.local
    wordpress.connect(mysql.primary, { envPrefix: 'WORDPRESS_DB' });
    // reads may go to any Ready member, for a read-splitting plugin (e.g. HyperDB): WORDPRESS_DB_READ_HOST=mysql-read...
    wordpress.connect(mysql.readEndpoint, { envPrefix: 'WORDPRESS_DB_READ' });
    // the image copies WordPress into its docroot on start; Apache keeps its pid and locks in /var/run and /var/lock
    wordpress.mainContainer.mount('/var/www/html', scratch('docroot', 256));
    wordpress.mainContainer.mount('/var/run/apache2', scratch('apache-run', 1));
    wordpress.mainContainer.mount('/var/lock/apache2', scratch('apache-lock', 1));
    wordpress.mainContainer.mount('/tmp', scratch('php-tmp', 64));
  }
}

const app = new App();
new WordpressMysql(app, 'wordpress-mysql', { namespace: 'blog' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
