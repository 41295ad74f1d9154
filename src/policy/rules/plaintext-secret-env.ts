import { looksSecretName, plaintextSecretReason } from '../../pod/secret-values';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** No container sets a secret-looking env var, or a URL with a password, to a literal value. */
export function checkPlaintextSecretEnv(ctx: RuleContext): void {
  for (const { c, kind } of ctx.containers) {
    for (const e of c.env ?? []) {
      if (!e || typeof e.name !== 'string' || typeof e.value !== 'string') continue;
      const reason = plaintextSecretReason(e.name, e.value);
      if (reason) {
        ctx.add(PolicyRule.PLAINTEXT_SECRET_ENV, PolicySeverity.ERROR,
          `${kind} "${c.name}" sets env var ${e.name} to a literal value${looksSecretName(e.name) ? '' : ` (${reason})`}; a secret written into the manifest ends up `
          + 'in Git and in every reader of the object. Fix: store it in a Secret and reference it '
          + '(valueFrom.secretKeyRef, e.g. EnvValue.fromSecretValue(...)).', c.name);
      }
    }
  }
}
