/**
 * etcd-operator: a dependency that an operator creates from a custom resource.
 *
 * The app declares an EtcdCluster of three members - the desired state the
 * etcd operator acts on - and connects to the client Service the operator
 * creates for it. The StatefulSet-like machinery of the members (Pods,
 * peer and client Services, member replacement, upgrades) is the operator's
 * recipe and appears nowhere here.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  EtcdCluster, EtcdClusterSpecPodResourcesLimits as Limit, EtcdClusterSpecPodResourcesRequests as Request,
} from '../../imports/etcd.database.coreos.com';
import { Endpoint, IEndpoint, PodDiagrams, StatelessService } from '../../src';

/** Port of the client Service the etcd operator creates for every cluster. */
const ETCD_CLIENT_PORT = 2379;

/**
 * An etcd cluster run by the etcd operator, and the endpoint its clients use:
 * the operator's `<cluster>-client` Service.
 */
class OperatedEtcd extends Construct {
  /** Where clients connect: the client Service the operator creates. */
  public readonly client: IEndpoint;

  constructor(scope: Construct, id: string, props: { name: string; size: number; version: string }) {
    super(scope, id);
    new EtcdCluster(this, 'Resource', {
      metadata: {
        name: props.name,
        // the app's own objects carry the recommended labels too, as the library's do
        labels: {
          'app.kubernetes.io/name': 'etcd',
          'app.kubernetes.io/instance': props.name,
          'app.kubernetes.io/version': props.version,
          'app.kubernetes.io/component': 'database',
          'app.kubernetes.io/part-of': Chart.of(this).node.id,
          'app.kubernetes.io/managed-by': 'cdk8s',
        },
      },
      spec: {
        size: props.size,
        version: props.version,
        repository: 'quay.io/coreos/etcd',
        pod: {
          antiAffinity: true,
          busyboxImage: 'busybox:1.36.1',
          resources: {
            requests: { cpu: Request.fromString('200m'), memory: Request.fromString('512Mi') },
            limits: { memory: Limit.fromString('512Mi') },
          },
        },
      },
    });
    // a reference by name: the Service does not exist until the operator creates it
    const namespace = Chart.of(this).namespace;
    const service = `${props.name}-client`;
    this.client = Endpoint.of(namespace ? `${service}.${namespace}.svc.cluster.local` : service, ETCD_CLIENT_PORT, { scheme: 'http' });
  }
}

class EtcdOperator extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'platform' });

    const etcd = new OperatedEtcd(this, 'config-store', { name: 'config-store', size: 3, version: '3.3.25' });

    const flags = new StatelessService(this, 'feature-flags', {
      replicas: 2,
      container: {
        image: 'registry.example.com/platform/feature-flags:1.8.0',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        securityContext: { user: 10001, group: 10001 },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) },
        },
      },
    });
    // the operator needs a while to bring the members up: hold the app until the client Service answers
    flags.connect(etcd.client, { envPrefix: 'ETCD', waitFor: true });
  }
}

const app = new App();
new EtcdOperator(app, 'etcd-operator');
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
