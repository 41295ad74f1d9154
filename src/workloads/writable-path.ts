import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * A directory the main container writes to, under its read-only root
 * filesystem: an `emptyDir` mounted at `path`, alive as long as the Pod.
 *
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
 */
export interface WritablePath {
  /** Absolute path of the directory, e.g. "/usr/local/tomcat/logs". */
  readonly path: string;

  /**
   * Largest size of the directory; the kubelet evicts the Pod beyond it.
   * @default - no limit (bounded by the node's ephemeral storage)
   */
  readonly sizeLimit?: Size;

  /**
   * Where the directory lives: node disk, or memory (tmpfs, counted against
   * the container's memory limit).
   * @default kplus.EmptyDirMedium.DEFAULT (node disk)
   */
  readonly medium?: kplus.EmptyDirMedium;
}
