/**
 * A directory laid out and updated the way the kubelet keeps a ConfigMap
 * volume (its atomic writer):
 *
 *   ..2025_01_01_10_00_00.000000001/   one generation of the files
 *   ..data -> ..2025_01_01_10_00_00.000000001
 *   app.conf -> ..data/app.conf          one link per key
 *
 * An update writes a whole new generation, points a fresh `..data_tmp` link at
 * it and renames that link over `..data` (one atomic step), then adds the
 * links of new keys, removes those of deleted keys and removes the old
 * generation. Files are never edited in place.
 */
import * as fs from 'fs';
import * as path from 'path';

export class ConfigMapVolume {
  private generation = 0;
  private current?: string;
  private keys: string[] = [];

  /** `dir` must exist; the volume's files are world-readable, like the kubelet's (mode 0644). */
  constructor(public readonly dir: string) {}

  /** Publishes `files` (key to content) as the volume's new content. */
  public publish(files: Record<string, string>): void {
    // a name like the kubelet's, from a timestamp; the counter keeps two updates in one millisecond apart
    const stamp = new Date().toISOString().replace(/[-:T]/g, '_').replace(/\.(\d+)Z$/, '.$1');
    const gen = `..${stamp}${String(++this.generation).padStart(6, '0')}`;
    fs.mkdirSync(path.join(this.dir, gen), { mode: 0o755 });
    for (const [key, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(this.dir, gen, key), content, { mode: 0o644 });
    }
    fs.symlinkSync(gen, path.join(this.dir, '..data_tmp'));
    fs.renameSync(path.join(this.dir, '..data_tmp'), path.join(this.dir, '..data'));

    const keys = Object.keys(files);
    for (const key of keys) {
      if (!this.keys.includes(key)) fs.symlinkSync(path.join('..data', key), path.join(this.dir, key));
    }
    for (const key of this.keys) {
      if (!keys.includes(key)) fs.unlinkSync(path.join(this.dir, key));
    }
    if (this.current) fs.rmSync(path.join(this.dir, this.current), { recursive: true });
    this.current = gen;
    this.keys = keys;
  }
}
