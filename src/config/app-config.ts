import { Construct } from 'constructs';
import { EnvConfig, EnvConfigProps } from './env-config';
import { MountedConfig, MountedConfigProps } from './mounted-config';

/**
 * The kinds of application configuration, and how a change reaches the app.
 *
 * | Kind | Where the app reads it | On change |
 * |------|------------------------|-----------|
 * | `AppConfig.fromEnv` (`EnvConfig`) | environment variables | new ConfigMap name, Pods roll |
 * | `AppConfig.fromFiles` (`MountedConfig`) | files in a directory | files change in place; the app re-reads them (itself, or told by a `ConfigReloader`), or Pods roll with `restartOnChange` |
 * | `SecretRef` / `SecretKeyRef` | env vars or files from an existing Secret | managed outside the app's manifests |
 *
 * Which one fits an app:
 * - it reads settings only at start (most twelve-factor services): `fromEnv`;
 * - it watches its config files: `fromFiles`;
 * - it has a reload URL (Prometheus, Alertmanager, Fluent Bit): `fromFiles` plus
 *   `ConfigReloader` with `ReloadAction.httpPost(...)`;
 * - it reloads on a signal (nginx `HUP`, HAProxy master-worker `USR2`):
 *   `fromFiles` plus `ConfigReloader` with `ReloadAction.signal(...)`;
 * - it reads files only at start: `fromFiles` with `restartOnChange: true`.
 */
export class AppConfig {
  /**
   * Start-time configuration in environment variables, from an immutable
   * ConfigMap named after its content. See `EnvConfig`.
   */
  public static fromEnv(scope: Construct, id: string, props: EnvConfigProps): EnvConfig {
    return new EnvConfig(scope, id, props);
  }

  /**
   * Reloadable configuration: files mounted from a ConfigMap. See `MountedConfig`.
   */
  public static fromFiles(scope: Construct, id: string, props: MountedConfigProps): MountedConfig {
    return new MountedConfig(scope, id, props);
  }

  private constructor() {}
}
