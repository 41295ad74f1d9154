import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DisruptionBudget, KubernetesVersion, UnhealthyPodEvictionPolicy } from '../../src';
import { errorOf, newChart } from '../util';

function deployment(chart: Chart): kplus.Deployment {
  return new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27.2' }] });
}

describe('DisruptionBudget', () => {
  test('defaults: maxUnavailable renders a policy/v1 PodDisruptionBudget selecting the workload\'s Pods', () => {
    // GIVEN
    const chart = newChart();
    const web = deployment(chart);
    // WHEN
    DisruptionBudget.maxUnavailable(1)._render(chart, 'Budget', web, KubernetesVersion.V1_27);
    // THEN
    expect(Testing.synth(chart).filter(m => m.kind === 'PodDisruptionBudget')).toMatchSnapshot();
  });

  test('minAvailable renders only minAvailable', () => {
    const chart = newChart();
    DisruptionBudget.minAvailable(2)._render(chart, 'Budget', deployment(chart), KubernetesVersion.V1_27);
    const pdb = Testing.synth(chart).find(m => m.kind === 'PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec).not.toHaveProperty('maxUnavailable');
  });

  test('none() renders nothing', () => {
    const chart = newChart();
    const budget = DisruptionBudget.none();
    expect(budget.enabled).toBe(false);
    expect(budget._render(chart, 'Budget', deployment(chart), KubernetesVersion.V1_34)).toBeUndefined();
    expect(Testing.synth(chart).filter(m => m.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  test('a budget that lets one Pod go is accepted', () => {
    const chart = newChart();
    expect(() => DisruptionBudget.minAvailable(2)._assertAllowsEviction(chart, 3, 'replica count')).not.toThrow();
    expect(() => DisruptionBudget.maxUnavailable(1)._assertAllowsEviction(chart, 1, 'replica count')).not.toThrow();
    expect(() => DisruptionBudget.none()._assertAllowsEviction(chart, 0, 'replica count')).not.toThrow();
  });

  test('fails when minAvailable reaches the replica count', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(errorOf(() => DisruptionBudget.minAvailable(2)._assertAllowsEviction(chart, 2, 'replica count')))
      .toBe('[test] disruptionBudget minAvailable 2 is >= the replica count 2, which would block every voluntary eviction '
        + '(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below 2.');
  });

  test('fails when maxUnavailable is 0', () => {
    const chart = newChart();
    expect(errorOf(() => DisruptionBudget.maxUnavailable(0)._assertAllowsEviction(chart, 3, 'replica count')))
      .toBe('[DisruptionBudget.maxUnavailable] count must be an integer >= 1 (got 0). Fix: use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.');
  });

  test('fails when minAvailable is negative or fractional', () => {
    const chart = newChart();
    expect(errorOf(() => DisruptionBudget.minAvailable(-1)._assertAllowsEviction(chart, 3, 'replica count')))
      .toBe('[DisruptionBudget.minAvailable] count must be an integer >= 0 (got -1). Fix: use a whole number of Pods, e.g. 1.');
    expect(errorOf(() => DisruptionBudget.minAvailable(1.5)._assertAllowsEviction(chart, 3, 'replica count')))
      .toBe('[DisruptionBudget.minAvailable] count must be an integer >= 0 (got 1.5). Fix: use a whole number of Pods, e.g. 1.');
  });

  describe('unhealthyPodEvictionPolicy', () => {
    const pdbOf = (budget: DisruptionBudget, version: KubernetesVersion) => {
      const chart = newChart();
      budget._render(chart, 'Budget', deployment(chart), version);
      return Testing.synth(chart).find(m => m.kind === 'PodDisruptionBudget');
    };

    test('defaults to AlwaysAllow from Kubernetes 1.31', () => {
      expect(pdbOf(DisruptionBudget.maxUnavailable(1), KubernetesVersion.V1_31).spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
      expect(pdbOf(DisruptionBudget.minAvailable(1), KubernetesVersion.V1_34).spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    });

    test('is not rendered by default below 1.31', () => {
      expect(pdbOf(DisruptionBudget.maxUnavailable(1), KubernetesVersion.V1_30).spec).not.toHaveProperty('unhealthyPodEvictionPolicy');
      expect(pdbOf(DisruptionBudget.maxUnavailable(1), KubernetesVersion.V1_27).spec).not.toHaveProperty('unhealthyPodEvictionPolicy');
    });

    test('an explicit policy is rendered at 1.31', () => {
      const budget = DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET });
      expect(pdbOf(budget, KubernetesVersion.V1_31).spec.unhealthyPodEvictionPolicy).toBe('IfHealthyBudget');
    });

    test('fails when an explicit policy targets Kubernetes 1.30', () => {
      const chart = new Chart(Testing.app(), 'test');
      const budget = DisruptionBudget.minAvailable(1, { unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy.ALWAYS_ALLOW });
      expect(errorOf(() => budget._render(chart, 'Budget', deployment(chart), KubernetesVersion.V1_30)))
        .toBe('[test] unhealthyPodEvictionPolicy renders unhealthyPodEvictionPolicy, which needs Kubernetes >= 1.31 (got kubernetesVersion '
          + '1.30). The field is GA from 1.31; before, it depends on a beta feature gate (PDBUnhealthyPodEvictionPolicy), and where that '
          + 'is off the API server drops the field and GitOps never sees the budget in sync. Fix: if your clusters run 1.31 or later, set '
          + 'kubernetesVersion: KubernetesVersion.V1_31 on the workload (or the context value "cdk8s-container-patterns/kubernetesVersion" '
          + 'to "1.31"); else drop unhealthyPodEvictionPolicy.');
    });

    test('fails when the policy is not an UnhealthyPodEvictionPolicy', () => {
      expect(errorOf(() => DisruptionBudget.maxUnavailable(1, { unhealthyPodEvictionPolicy: 'Always' as UnhealthyPodEvictionPolicy })))
        .toBe('[DisruptionBudget.maxUnavailable] unhealthyPodEvictionPolicy must be an UnhealthyPodEvictionPolicy (got "Always"). '
          + 'Fix: use UnhealthyPodEvictionPolicy.ALWAYS_ALLOW or UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET.');
    });
  });
});
