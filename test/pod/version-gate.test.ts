import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BatchTask, ClaimRetention, DisruptionBudget, KubernetesVersion, PodFailureAction, PodFailureRule, Sidecar, StatefulService,
  StatelessService, TaskCompletionMode, UnhealthyPodEvictionPolicy,
} from '../../src';
import { VERSION_GATES, versionGateProblem } from '../../src/pod/version-gate';
import { unknownFields } from '../harness/k8s-fields';
import { newChart, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const TASK: kplus.ContainerProps = { image: 'busybox:1.36.1', securityContext: { user: 10001 } };

/** Every version-gated field at once, for `version`. */
function everyGatedField(version: KubernetesVersion): any[] {
  const chart = newChart();
  new StatefulService(chart, 'db', {
    container: APP,
    kubernetesVersion: version,
    replicas: 2,
    volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    claimRetention: { whenScaled: ClaimRetention.DELETE },
    disruptionBudget: DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.ALWAYS_ALLOW }),
    patterns: [new Sidecar({ name: 'side', image: 'busybox:1.36.1', ports: [{ name: 'side', port: 9000 }], readiness: kplus.Probe.fromTcpSocket({ port: 9000 }) })],
  });
  new StatelessService(chart, 'web', { container: APP, kubernetesVersion: version, replicas: 2 });
  new BatchTask(chart, 'task', {
    container: TASK,
    kubernetesVersion: version,
    completions: 2,
    completionMode: TaskCompletionMode.INDEXED,
    backoffLimitPerIndex: 1,
    maxFailedIndexes: 1,
    podFailurePolicy: [PodFailureRule.ignoreDisruptions(), PodFailureRule.onExitCodes(PodFailureAction.FAIL_INDEX, { values: [3] })],
  });
  return synth(chart);
}

describe('version gates', () => {
  test('each gate refuses the version below its minimum and allows the minimum', () => {
    for (const gate of VERSION_GATES) {
      const below = KubernetesVersion.of(`1.${gate.minimum.minor - 1}`);
      expect(versionGateProblem(gate, below)).toContain(`${gate.prop} renders ${gate.field}, which needs Kubernetes >= ${gate.minimum.version}`);
      expect(versionGateProblem(gate, gate.minimum)).toBeUndefined();
    }
  });

  test.each([KubernetesVersion.V1_33, KubernetesVersion.V1_34])('on %s every gated field is rendered, and the schema of that version knows it', version => {
    // WHEN
    const manifests = everyGatedField(version);
    // THEN every field is rendered ...
    const sts = manifests.find(m => m.kind === 'StatefulSet');
    const job = manifests.find(m => m.kind === 'Job');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(sts.spec.template.spec.initContainers[0]).toMatchObject({ name: 'side', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9000 } } });
    expect(manifests.filter(m => m.kind === 'PodDisruptionBudget').map(p => p.spec.unhealthyPodEvictionPolicy)).toEqual(['AlwaysAllow', 'AlwaysAllow']);
    expect(job.spec).toMatchObject({ backoffLimitPerIndex: 1, maxFailedIndexes: 1, completionMode: 'Indexed' });
    expect(job.spec.podFailurePolicy.rules).toHaveLength(2);
    // ... and known to the target version's schema
    expect(manifests.flatMap(m => unknownFields(m, version.version))).toEqual([]);
  });

  test('the 1.27 schema lacks what the gates keep from it', () => {
    const manifests = everyGatedField(KubernetesVersion.V1_33);
    expect(manifests.flatMap(m => unknownFields(m, '1.27')).map(p => p.replace(/^\w+\/[-\w]+: /, ''))).toEqual([
      'spec.template.spec.initContainers[0].restartPolicy is not a field of Container in Kubernetes 1.27',
      'spec.backoffLimitPerIndex is not a field of JobSpec in Kubernetes 1.27',
      'spec.maxFailedIndexes is not a field of JobSpec in Kubernetes 1.27',
    ]);
  });
});
