import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { got, ValidationError } from '../pod/validation-error';
import { assertDnsSubdomain } from '../pod/validators';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Options of a reference to one key of a Secret.
 */
export interface SecretKeyOptions {
  /**
   * Let the Pod start when the Secret or the key is missing (the variable is
   * then unset). Leave it off for credentials: a Pod that cannot read its
   * password should not start.
   * @default false
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#optional-secrets
   */
  readonly optional?: boolean;
}

/**
 * A reference to a Secret that already exists in the cluster (created by an
 * operator, a secrets manager sync, or an administrator).
 *
 * A reference renders nothing: no Secret object is ever emitted, and no
 * secret value ever passes through the app's code or its manifests. Workloads
 * and patterns read its keys through `key(...)`.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/secret/
 */
export class SecretRef {
  /**
   * Refer to the existing Secret `name`, in the namespace the workloads run in.
   *
   * @param scope the construct the reference belongs to (it names errors)
   * @param name the Secret's name
   */
  public static fromName(scope: Construct, name: string): SecretRef {
    assertSecretName(scope, name);
    return new SecretRef(scope, name);
  }

  /** Name of the Secret. */
  public readonly secretName: string;

  private readonly scope: Construct;
  private _secret?: kplus.ISecret;

  private constructor(scope: Construct, name: string) {
    this.scope = scope;
    this.secretName = name;
  }

  /**
   * The Secret as a cdk8s-plus `ISecret`, for APIs that take one (e.g.
   * `kplus.Volume.fromSecret`). It is an import: nothing is rendered for it.
   */
  public get secret(): kplus.ISecret {
    if (!this._secret) {
      const id = `SecretRef-${this.secretName}`;
      const existing = this.scope.node.tryFindChild(id) as kplus.ISecret | undefined;
      this._secret = existing ?? kplus.Secret.fromSecretName(this.scope, id, this.secretName);
    }
    return this._secret;
  }

  /**
   * A reference to one key of the Secret.
   *
   * @param key the key in the Secret's data, e.g. "password"
   */
  public key(key: string, options: SecretKeyOptions = {}): SecretKeyRef {
    return SecretKeyRef._create(this.scope, this, key, options);
  }
}

/**
 * A reference to one key of an existing Secret. Turn it into an environment
 * variable value with `envValue()`.
 */
export class SecretKeyRef {
  /**
   * Refer to key `key` of the existing Secret `secretName`.
   * Shorthand for `SecretRef.fromName(scope, secretName).key(key, options)`.
   */
  public static of(scope: Construct, secretName: string, key: string, options: SecretKeyOptions = {}): SecretKeyRef {
    return SecretRef.fromName(scope, secretName).key(key, options);
  }

  /** @internal */
  public static _create(scope: Construct, secret: SecretRef, key: string, options: SecretKeyOptions): SecretKeyRef {
    if (typeof key !== 'string' || key.length === 0 || key.length > 253 || !SECRET_KEY.test(key)) {
      throw new ValidationError(scope,
        `key of Secret "${secret.secretName}" must be a Secret data key: 1 to 253 letters, digits, '-', '_' or '.' `
        + `(got ${got(key)}). Fix: name the key to read, e.g. key("password").`);
    }
    return new SecretKeyRef(secret, key, options.optional ?? false);
  }

  /** The Secret. */
  public readonly secretRef: SecretRef;

  /** The key in the Secret's data. */
  public readonly key: string;

  /** Whether the Pod may start without the Secret or the key. */
  public readonly optional: boolean;

  private constructor(secretRef: SecretRef, key: string, optional: boolean) {
    this.secretRef = secretRef;
    this.key = key;
    this.optional = optional;
  }

  /** Name of the Secret. */
  public get secretName(): string {
    return this.secretRef.secretName;
  }

  /**
   * The value of an environment variable read from this key
   * (`valueFrom.secretKeyRef`).
   */
  public envValue(): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue(
      { secret: this.secretRef.secret, key: this.key },
      this.optional ? { optional: true } : undefined,
    );
  }
}

function assertSecretName(scope: Construct, name: string): void {
  assertDnsSubdomain(scope, 'Secret name', name, 'orders-db-credentials');
}
