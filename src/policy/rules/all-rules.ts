import { checkAddedCapabilities } from './added-capabilities';
import { checkContainerResources } from './container-resources';
import { checkDisruptionBudget } from './disruption-budget';
import { checkHostIpc } from './host-ipc';
import { checkHostNetwork } from './host-network';
import { checkHostPid } from './host-pid';
import { checkPinnedImage } from './pinned-image';
import { checkPlaintextSecretEnv } from './plaintext-secret-env';
import { checkPrivilegeEscalation } from './privilege-escalation';
import { checkPrivileged } from './privileged';
import { checkReadinessProbe } from './readiness-probe';
import { RuleCheck } from './rule';
import { checkRunsAsRoot } from './runs-as-root';
import { checkServiceAccountToken } from './service-account-token';
import { checkSpread } from './spread';

/** @internal every rule of the PolicyReport (findings are ordered by PolicyRule, not by this list). */
export const CHECKS: readonly RuleCheck[] = [
  checkReadinessProbe,
  checkContainerResources,
  checkDisruptionBudget,
  checkSpread,
  checkPinnedImage,
  checkServiceAccountToken,
  checkPlaintextSecretEnv,
  checkRunsAsRoot,
  checkPrivileged,
  checkPrivilegeEscalation,
  checkAddedCapabilities,
  checkHostNetwork,
  checkHostPid,
  checkHostIpc,
];
