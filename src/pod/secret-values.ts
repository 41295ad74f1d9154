/**
 * The one "looks like a secret" test, shared by EnvConfig, the workloads and
 * the PolicyReport.
 */
import { got } from './validation-error';

const SECRET_WORD = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL/;
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@\s:]*):([^/?#@\s]*)@/i;

/**
 * True when an env var (or config key) name looks like it holds a secret: it
 * contains PASSWORD, PASSWD, SECRET, TOKEN or CREDENTIAL, or a segment (split
 * at '_', '-' and '.') ends in KEY, e.g. API_KEY, AWS_SECRET_ACCESS_KEY,
 * db.password. A name whose last segment is FILE, PATH or DIR holds a
 * location, not the secret.
 */
export function looksSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  const segments = upper.split(/[_.-]+/).filter(Boolean);
  if (segments.length === 0) return false;
  if (['FILE', 'PATH', 'DIR'].includes(segments[segments.length - 1])) return false;
  return SECRET_WORD.test(upper) || segments.some(s => s.endsWith('KEY'));
}

/** True when a value is a URL with a password in it: `scheme://user:password@host/...`. */
export function hasUrlCredentials(value: string): boolean {
  const m = URL_WITH_PASSWORD.exec(value);
  return m !== null && m[2] !== '';
}

/**
 * @internal
 * Why a literal env value is a secret in plaintext (its name looks secret, or
 * it is a URL with a password, shown masked), or undefined when it is not.
 */
export function plaintextSecretReason(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  if (looksSecretName(name)) return `its name ${got(name)} looks like a secret`;
  if (hasUrlCredentials(value)) {
    return `its value is a URL with a password (${JSON.stringify(value.replace(URL_WITH_PASSWORD, '$1:****@'))})`;
  }
  return undefined;
}
