/**
 * node-log-agent: a node agent that ships the container logs of every node.
 *
 * fluent-bit runs as a DaemonSet (one Pod per node, every taint tolerated),
 * reads the kubelet's log files through read-only hostPath mounts of
 * /var/log/containers and /var/log/pods, and forwards the records to a log
 * aggregator that it knows only by reference (an endpoint).
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Endpoint, IEndpoint, IPodPattern, NodeAgent, PodDiagrams, PodPatternHost } from '../../src';

const CONFIG_DIR = '/fluent-bit/config';
const STATE_DIR = '/fluent-bit/state';

/** fluent-bit's configuration in a ConfigMap whose content hash rolls the agents when it changes. */
class FluentBitConfig implements IPodPattern {
  public readonly name = 'fluent-bit-config';
  private _volume?: kplus.Volume;

  constructor(private readonly content: string) {}

  public attach(host: PodPatternHost): void {
    const config = host.addConfigMap('Config', [{ key: 'fluent-bit.yaml', content: this.content }]);
    this._volume = host.configMapVolume(config, 'config');
  }

  /** The Pod volume holding the configuration (available once attached). */
  public get volume(): kplus.Volume {
    if (!this._volume) throw new Error('FluentBitConfig: attach the pattern before mounting its volume');
    return this._volume;
  }
}

/** Tail every container log of the node, except the agent's own, and forward the records. */
function renderConfig(ownLogs: string, aggregator: IEndpoint): string {
  return [
    'service:',
    '  flush: 1',
    '  log_level: info',
    '  http_server: on',
    '  http_listen: 0.0.0.0',
    '  http_port: 2020',
    '  health_check: on',
    'pipeline:',
    '  inputs:',
    '    - name: tail',
    '      tag: kube.*',
    '      path: /var/log/containers/*.log',
    `      exclude_path: ${ownLogs}`,
    '      multiline.parser: cri, docker',
    `      db: ${STATE_DIR}/tail.db`,
    '      mem_buf_limit: 16MB',
    '      skip_long_lines: on',
    '      refresh_interval: 10',
    '  outputs:',
    '    - name: forward',
    "      match: '*'",
    `      host: ${aggregator.host}`,
    `      port: ${aggregator.port}`,
    '      retry_limit: no_limits',
    '',
  ].join('\n');
}

class NodeLogAgent extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // the aggregator already runs elsewhere (e.g. fluentd in the "logging" namespace); only its address is known here
    const aggregator = Endpoint.of('log-aggregator.logging.svc.cluster.local', 24224);

    const agent = new NodeAgent(this, 'fluent-bit', {
      container: {
        image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.10',
        command: ['/fluent-bit/bin/fluent-bit', '-c', `${CONFIG_DIR}/fluent-bit.yaml`],
        ports: [{ number: 2020, name: 'http' }],
        // non-root user; group 0 reads the kubelet's log files, which are mode 0640 and owned by root:root
        securityContext: { user: 65532, group: 0 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
        liveness: kplus.Probe.fromHttpGet('/api/v1/health', { port: 2020 }),
      },
      // the tail position database; on a restart the agent resumes from the end of the files
      writablePaths: [{ path: STATE_DIR, sizeLimit: Size.mebibytes(64) }],
      allowHostPaths: true,
      hostPaths: [
        // symlinks into /var/log/pods, so both are mounted at their node paths
        { path: '/var/log/containers', mountPath: '/var/log/containers' },
        { path: '/var/log/pods', mountPath: '/var/log/pods' },
      ],
    });

    const config = new FluentBitConfig(renderConfig(`/var/log/containers/${agent.daemonSet.name}-*.log`, aggregator));
    agent.addPattern(config);
    agent.mainContainer.mount(CONFIG_DIR, config.volume, { readOnly: true });
  }
}

const app = new App();
new NodeLogAgent(app, 'node-log-agent', { namespace: 'logging' });
app.synth();
// one Markdown file of Pod diagrams per chart, next to its YAML: dist/<chart>.pods.md
PodDiagrams.writeForApp(app);
