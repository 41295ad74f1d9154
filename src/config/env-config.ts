import { Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { labelStandalone } from '../pod/object-labels';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { hasUrlCredentials, looksSecretName, plaintextSecretReason } from '../pod/secret-values';
import { got, ValidationError } from '../pod/validation-error';
import { assertDnsLabel, assertEnvName, byCodePoint, contentHash } from '../pod/validators';

/** Names that say "this is a secret": they belong in a Secret, referenced with `SecretKeyRef`. */

/** Length of the content hash in the ConfigMap name. */
const HASH_LENGTH = 10;

/**
 * One start-time setting: an environment variable and its value.
 */
export interface ConfigEntry {
  /** Environment variable name, e.g. "LOG_LEVEL". */
  readonly name: string;

  /** Value. Never a secret: secrets are read from a Secret with `SecretKeyRef`. */
  readonly value: string;
}

/**
 * Props of an {@link EnvConfig}.
 */
export interface EnvConfigProps {
  /** The settings, one environment variable each. */
  readonly variables: ConfigEntry[];

  /**
   * Name of the pattern when attached to a workload. Must be unique among the
   * workload's patterns.
   * @default "env-config"
   */
  readonly name?: string;

  /**
   * Start of the ConfigMap name; the name is this prefix, '-', and a hash of
   * the content (e.g. "web-env-3f2a9c01d4"). At most 52 characters.
   * @default - a name generated from the construct path
   */
  readonly configMapPrefix?: string;

  /**
   * Prefix of the environment variable names in the container, as `envFrom`
   * with a `prefix` would give: with "APP_", the key `LOG_LEVEL` becomes
   * `APP_LOG_LEVEL`. The ConfigMap keys stay unprefixed. Every variable is
   * still listed on its own (a `configMapKeyRef`), so a clash with another
   * variable of the container fails the synth instead of being resolved
   * silently by Kubernetes' precedence rules.
   * @default - none: the variables are named as the keys
   */
  readonly envPrefix?: string;
}

/**
 * Start-time configuration: settings the app reads once, from environment
 * variables, when it starts.
 *
 * The settings live in an immutable ConfigMap whose name ends with a hash of
 * the content. A change therefore creates a new ConfigMap and changes the
 * Pod template (the variables now refer to the new name), which rolls the
 * Pods; rolling back the app's manifests brings back the old name and so the
 * old settings. Because a running container never sees new values of its
 * environment, this is the only correct way to change them.
 *
 * Attach it to one or more workloads as a pattern (`patterns: [config]` or
 * `addPattern(config)`): each variable is added to the main container as a
 * `configMapKeyRef`.
 *
 * For settings an app can re-read while running, use `MountedConfig`; for
 * secrets, use `SecretKeyRef`.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable
 */
export class EnvConfig extends Construct implements IPodPattern {
  /** The pattern name. */
  public readonly name: string;

  /** The immutable ConfigMap holding the settings. */
  public readonly configMap: kplus.IConfigMap;

  /** Name of the ConfigMap: the prefix, '-', and the content hash. */
  public readonly configMapName: string;

  /** Hash of the settings, as it appears at the end of the ConfigMap name. */
  public readonly contentHash: string;

  /**
   * Prefix of the variable names in the container.
   * @default - none
   */
  public readonly envPrefix?: string;

  private readonly variables: ConfigEntry[];

  constructor(scope: Construct, id: string, props: EnvConfigProps) {
    super(scope, id);
    this.name = props.name ?? 'env-config';
    assertDnsLabel(this, 'name', this.name);
    this.variables = this.validateVariables(props.variables);
    if (props.envPrefix !== undefined) {
      if (typeof props.envPrefix !== 'string' || props.envPrefix.length === 0) {
        throw new ValidationError(this, `envPrefix must be a non-empty prefix like "APP_" (got ${got(props.envPrefix)}). Fix: `
          + 'drop envPrefix to use the names as they are, or give a prefix.');
      }
      this.variables.forEach((v, i) => assertEnvName(this, `envPrefix + variables[${i}].name`, props.envPrefix + v.name));
      this.envPrefix = props.envPrefix;
    }

    const prefix = props.configMapPrefix ?? Names.toDnsLabel(this, { maxLen: 63 - HASH_LENGTH - 1 });
    if (props.configMapPrefix !== undefined) {
      if (prefix.length > 63 - HASH_LENGTH - 1) {
        throw new ValidationError(this,
          `configMapPrefix must be at most ${63 - HASH_LENGTH - 1} characters, leaving room for the content hash `
          + `(got ${got(prefix)}, ${prefix.length} characters). Fix: shorten it.`);
      }
      assertDnsLabel(this, 'configMapPrefix', prefix);
    }
    this.contentHash = hashOf(this.variables);
    this.configMapName = `${prefix}-${this.contentHash}`;

    const cm = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.configMapName },
      immutable: true,
    });
    for (const v of this.variables) cm.addData(v.name, v.value);
    this.configMap = cm;
    labelStandalone(this, this.node.id, 'config');
  }

  /** The variable names in the container (with `envPrefix`), in the order given. */
  public get variableNames(): string[] {
    return this.variables.map(v => (this.envPrefix ?? '') + v.name);
  }

  /** Adds every variable to the main container, read from the ConfigMap. */
  public attach(host: PodPatternHost): void {
    for (const v of this.variables) {
      host.addMainEnv((this.envPrefix ?? '') + v.name, kplus.EnvValue.fromConfigMap(this.configMap, v.name));
    }
  }

  private validateVariables(variables: ConfigEntry[]): ConfigEntry[] {
    if (!Array.isArray(variables) || variables.length === 0) {
      throw new ValidationError(this,
        `variables must list at least one setting (got ${got(variables)}). Fix: e.g. variables: [{ name: "LOG_LEVEL", value: "info" }].`);
    }
    const seen = new Set<string>();
    return variables.map((v, i) => {
      assertEnvName(this, `variables[${i}].name`, v.name);
      if (seen.has(v.name)) {
        throw new ValidationError(this, `variables lists ${v.name} more than once. Fix: set each variable once.`);
      }
      seen.add(v.name);
      if (typeof v.value !== 'string') {
        throw new ValidationError(this,
          `variables[${i}].value (${v.name}) must be a string (got ${got(v.value)}). Fix: write numbers and flags as strings, e.g. "8080".`);
      }
      if (!looksSecretName(v.name) && hasUrlCredentials(v.value)) {
        throw new ValidationError(this,
          `variable ${v.name}: ${plaintextSecretReason(v.name, v.value)}, but an EnvConfig is a ConfigMap, readable by anyone who can `
          + 'read the app\'s manifests. Fix: keep the URL (or its password) in a Secret and read it with SecretKeyRef (e.g. '
          + `SecretKeyRef.of(this, "app-secrets", "${v.name.toLowerCase()}").envValue()).`);
      }
      if (looksSecretName(v.name)) {
        throw new ValidationError(this,
          `variable ${v.name} looks like a secret, but an EnvConfig is a ConfigMap, readable by anyone who can read the app's `
          + 'manifests. Fix: keep the value in a Secret and read it with SecretKeyRef (e.g. SecretKeyRef.of(this, "app-secrets", '
          + `"${v.name.toLowerCase()}").envValue()).`);
      }
      return { name: v.name, value: v.value };
    });
  }
}

function hashOf(variables: ConfigEntry[]): string {
  const parts: string[] = [];
  for (const v of [...variables].sort((a, b) => byCodePoint(a.name, b.name))) parts.push(v.name, v.value);
  return contentHash(parts, HASH_LENGTH);
}
