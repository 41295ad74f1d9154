import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CONFIG_HASH_ANNOTATION } from '../pod/composition';
import { labelStandalone } from '../pod/object-labels';
import { ConfigFile, ConfigVolumeItem, ConfigVolumeOptions, IMountedConfig, IPodPattern, PodPatternHost } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, assertDnsSubdomain, byCodePoint, contentHash } from '../pod/validators';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Prefix of the Pod annotation that carries the content hash when `restartOnChange` is set. */
const RESTART_ANNOTATION_PREFIX = 'container-patterns.cdk8s.io/config-';

/**
 * Props of a {@link MountedConfig}.
 */
export interface MountedConfigProps {
  /** Directory in the main container the files appear in, e.g. "/etc/app". */
  readonly mountPath: string;

  /** The files: each key is a file name in `mountPath`. */
  readonly files: ConfigFile[];

  /**
   * Name of the pattern when attached to a workload, and of the Pod volume.
   * Must be unique among the workload's patterns and volumes.
   * @default "config"
   */
  readonly name?: string;

  /**
   * Name of the ConfigMap. It stays the same when the content changes, so
   * that the kubelet can update the mounted files in place.
   * @default - a name generated from the construct path
   */
  readonly configMapName?: string;

  /**
   * Roll the Pods when the content changes (a hash of the files is written
   * into a Pod template annotation), for apps that read the files only at
   * start. Leave it off for apps that re-read the files, alone or through a
   * `ConfigReloader`.
   * @default false - the files change in the running Pods, without a restart
   */
  readonly restartOnChange?: boolean;

  /**
   * Mode bits of the files, e.g. 0o400 for a file only its owner may read.
   * The files belong to root and, when the Pod sets an `fsGroup`, to that
   * group, which the kubelet then also lets read them; a non-root app
   * without that group cannot read a file whose mode gives no read bit to
   * "other".
   * @default - 0o644 (Kubernetes' default)
   */
  readonly fileMode?: number;

  /**
   * Show only these keys, each at its own path under `mountPath` (e.g. the
   * key "app.yaml" at "conf/app.yaml"), optionally with its own mode. Keys
   * not listed do not appear.
   * @default - every key, as a file named after it
   */
  readonly items?: ConfigVolumeItem[];
}

/**
 * Reloadable configuration: files mounted from a ConfigMap into the main
 * container.
 *
 * The ConfigMap keeps its name across changes, and the whole directory is
 * mounted (never with `subPath`, which the kubelet does not update), so a
 * change reaches running Pods as an atomic swap of the directory's content,
 * typically within a minute or two (the kubelet's sync period plus its cache
 * delay). The app then has to notice:
 *
 * - apps that watch their config files (e.g. many Go services using
 *   fsnotify) need nothing more;
 * - apps with a reload endpoint (e.g. Prometheus `POST /-/reload`, Fluent Bit
 *   `POST /api/v2/reload`) or a reload signal (nginx and HAProxy `SIGHUP`/
 *   `SIGUSR2`) get a `ConfigReloader` sidecar;
 * - apps that read their files only at start set `restartOnChange`, or use
 *   `EnvConfig` if the settings fit in environment variables.
 *
 * Attach it to a workload as a pattern. Files are mounted read-only.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically
 */
export class MountedConfig extends Construct implements IPodPattern, IMountedConfig {
  /** The pattern name, also the Pod volume name. */
  public readonly name: string;

  /** The ConfigMap holding the files. */
  public readonly configMap: kplus.IConfigMap;

  /** Name of the Pod volume. */
  public readonly volumeName: string;

  /** Directory the files appear in. */
  public readonly mountPath: string;

  /** Whether a change of the files rolls the Pods. */
  public readonly restartOnChange: boolean;

  /**
   * File modes and items of the volume.
   * @default - none: every key as a file named after it, mode 0o644
   */
  public readonly volumeOptions?: ConfigVolumeOptions;

  private readonly files: ConfigFile[];

  constructor(scope: Construct, id: string, props: MountedConfigProps) {
    super(scope, id);
    this.name = props.name ?? 'config';
    assertDnsLabel(this, 'name', this.name);
    assertAbsolutePath(this, 'mountPath', props.mountPath);
    this.files = this.validateFiles(props.files);
    if (props.configMapName !== undefined) this.validateConfigMapName(props.configMapName);
    this.volumeOptions = this.validateVolumeOptions(props);

    this.volumeName = this.name;
    this.mountPath = props.mountPath;
    this.restartOnChange = props.restartOnChange ?? false;
    if (this.restartOnChange && RESTART_ANNOTATION_PREFIX + this.name === CONFIG_HASH_ANNOTATION) {
      throw new ValidationError(this,
        `name ${got(this.name)} with restartOnChange would write the Pod annotation "${CONFIG_HASH_ANNOTATION}", which the `
        + 'library writes itself (the hash of the Pod\'s generated configuration); one would silently replace the other. '
        + 'Fix: give the MountedConfig another name, e.g. "app-config".');
    }
    const annotationName = RESTART_ANNOTATION_PREFIX.split('/')[1] + this.name;
    if (this.restartOnChange && annotationName.length > 63) {
      throw new ValidationError(this,
        `name ${got(this.name)} is too long for restartOnChange: the Pod annotation "${RESTART_ANNOTATION_PREFIX}${this.name}" `
        + `would have a name part of ${annotationName.length} characters, and Kubernetes allows 63. Fix: use a name of at most `
        + `${63 - (annotationName.length - this.name.length)} characters.`);
    }

    const cm = new kplus.ConfigMap(this, 'Resource', {
      metadata: props.configMapName !== undefined ? { name: props.configMapName } : undefined,
    });
    for (const f of this.files) cm.addData(f.key, f.content);
    this.configMap = cm;
    labelStandalone(this, this.node.id, 'config');
  }

  /** The file names, in the order given. */
  public get fileNames(): string[] {
    return this.files.map(f => f.key);
  }

  /** Mounts the ConfigMap read-only into the main container at `mountPath`. */
  public attach(host: PodPatternHost): void {
    host.configMapVolume(this.configMap, this.volumeName, this.volumeOptions);
    host.mountOnMain({ volume: this.volumeName, path: this.mountPath, readOnly: true });
    if (this.restartOnChange) {
      host.addPodAnnotation(RESTART_ANNOTATION_PREFIX + this.name, this.contentHash());
    }
  }

  private contentHash(): string {
    const parts: string[] = [];
    for (const f of [...this.files].sort((a, b) => byCodePoint(a.key, b.key))) parts.push(f.key, f.content);
    return contentHash(parts);
  }

  private validateFiles(files: ConfigFile[]): ConfigFile[] {
    if (!Array.isArray(files) || files.length === 0) {
      throw new ValidationError(this,
        `files must list at least one file (got ${got(files)}). Fix: e.g. files: [{ key: "app.yaml", content: "..." }].`);
    }
    const seen = new Set<string>();
    return files.map((f, i) => {
      const key = f.key;
      if (typeof key !== 'string' || key.length === 0 || key.length > 253 || !CONFIG_KEY.test(key) || key === '.' || key.startsWith('..')) {
        throw new ValidationError(this,
          `files[${i}].key must be a file name of letters, digits, '-', '_' or '.', not "." and not starting with ".." `
          + `(got ${got(key)}). Fix: use a name like "app.yaml".`);
      }
      if (seen.has(key)) {
        throw new ValidationError(this, `files lists ${got(key)} more than once. Fix: give each file its own name.`);
      }
      seen.add(key);
      if (typeof f.content !== 'string') {
        throw new ValidationError(this, `files[${i}].content (${key}) must be a string (got ${got(f.content)}). `
          + 'Fix: pass the file\'s text, e.g. JSON.stringify(settings) or the contents read with fs.readFileSync(path, "utf8").');
      }
      return { key, content: f.content };
    });
  }

  private validateVolumeOptions(props: MountedConfigProps): ConfigVolumeOptions | undefined {
    if (props.fileMode === undefined && props.items === undefined) return undefined;
    if (props.fileMode !== undefined) this.assertMode('fileMode', props.fileMode);
    let items: ConfigVolumeItem[] | undefined;
    if (props.items !== undefined) {
      if (!Array.isArray(props.items) || props.items.length === 0) {
        throw new ValidationError(this, `items must list at least one key and its path (got ${got(props.items)}). `
          + 'Fix: e.g. items: [{ key: "app.yaml", path: "conf/app.yaml" }], or drop items to show every key.');
      }
      const keys = new Set(this.files.map(f => f.key));
      const paths = new Set<string>();
      items = props.items.map((item, i) => {
        if (!keys.has(item.key)) {
          throw new ValidationError(this, `items[${i}].key ${got(item.key)} is not one of the files (known: `
            + `${[...keys].map(k => `"${k}"`).join(', ')}). Fix: use the key of a file in files.`);
        }
        const p = item.path;
        if (typeof p !== 'string' || p.length === 0 || p.startsWith('/') || p.split('/').some(seg => seg === '..' || seg === '')) {
          throw new ValidationError(this, `items[${i}].path must be a relative path without empty or '..' segments (got ${got(p)}). `
            + 'Fix: use a path like "conf/app.yaml".');
        }
        if (paths.has(p)) {
          throw new ValidationError(this, `items lists the path ${got(p)} more than once. Fix: give each key its own path.`);
        }
        paths.add(p);
        if (item.mode !== undefined) this.assertMode(`items[${i}].mode`, item.mode);
        return { key: item.key, path: p, mode: item.mode };
      });
    }
    return { defaultMode: props.fileMode, items };
  }

  private assertMode(what: string, mode: number): void {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
      const shown = Number.isInteger(mode) ? `0o${mode.toString(8)}` : got(mode);
      throw new ValidationError(this, `${what} must be file mode bits from 0o000 to 0o777 (got ${shown}). `
        + 'Fix: write the mode as an octal literal, e.g. 0o400 for a file only its owner may read.');
    }
  }

  private validateConfigMapName(name: string): void {
    assertDnsSubdomain(this, 'configMapName', name, 'web-config');
  }
}
