import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, isDnsSubdomain } from '../pod/validators';

/**
 * Access mode of a per-replica volume.
 *
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
 */
export enum StorageAccessMode {
  /** Mounted read-write by a single node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by a single Pod (Kubernetes >= 1.27 with the feature on, GA in 1.29). */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Mounted read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Mounted read-write by many nodes. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/**
 * A per-replica volume of a stateful service: every member gets its own
 * PersistentVolumeClaim `<name>-<statefulset>-<ordinal>`, which outlives the
 * Pod and is re-attached when the member is rescheduled.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates
 */
export interface VolumeClaimTemplate {
  /**
   * Name of the claim template; also the name patterns mount it by
   * (`NamedMount.volume`). A DNS-1123 label, e.g. "data".
   */
  readonly name: string;

  /** Requested size of each member's volume. */
  readonly size: Size;

  /** Where the main container mounts the volume. */
  readonly mountPath: string;

  /**
   * StorageClass of the claims.
   * @default - the cluster's default StorageClass
   * @see https://kubernetes.io/docs/concepts/storage/storage-classes/
   */
  readonly storageClassName?: string;

  /**
   * Access modes of the claims.
   * @default [StorageAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: StorageAccessMode[];
}

/**
 * What happens to the members' PersistentVolumeClaims.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
 */
export enum ClaimRetention {
  /** Keep the claims (and the data). */
  RETAIN = 'Retain',
  /** Delete the claims (and, with a Delete reclaim policy, the data). */
  DELETE = 'Delete',
}

/**
 * The PersistentVolumeClaim retention policy of a stateful service.
 */
export interface ClaimRetentionPolicy {
  /**
   * What happens to the claims when the StatefulSet is deleted.
   * @default ClaimRetention.RETAIN
   */
  readonly whenDeleted?: ClaimRetention;

  /**
   * What happens to the claims of the members removed by a scale-down.
   * @default ClaimRetention.RETAIN
   */
  readonly whenScaled?: ClaimRetention;
}

/** @internal checks the claim templates of a StatefulService: names, sizes, paths, access modes, storage classes. */
export function validateClaimTemplates(scope: IConstruct, templates: VolumeClaimTemplate[]): void {
  const fail = (msg: string): never => { throw new ValidationError(scope, msg); };
  const names = new Set<string>();
  for (const t of templates) {
    assertDnsLabel(scope, 'volumeClaimTemplates name', t.name);
    if (names.has(t.name)) {
      fail(`volumeClaimTemplates name "${t.name}" is used twice. Fix: give every volume claim template its own name.`);
    }
    names.add(t.name);
    const kib = t.size?.toKibibytes();
    if (!(kib > 0)) {
      fail(`volumeClaimTemplates "${t.name}" size must be > 0 (got ${got(t.size?.asString())}). Fix: use e.g. Size.gibibytes(10).`);
    }
    assertAbsolutePath(scope, `volumeClaimTemplates "${t.name}" mountPath`, t.mountPath);
    if (t.accessModes !== undefined && t.accessModes.length === 0) {
      fail(`volumeClaimTemplates "${t.name}" accessModes is empty, which Kubernetes rejects. `
        + 'Fix: omit it (ReadWriteOnce) or list at least one StorageAccessMode.');
    }
    if (t.storageClassName !== undefined && !isDnsSubdomain(t.storageClassName)) {
      fail(`volumeClaimTemplates "${t.name}" storageClassName must be a DNS-1123 subdomain (got ${got(t.storageClassName)}). `
        + 'Fix: use the name of a StorageClass of the cluster, e.g. "fast-ssd".');
    }
  }
}

/** @internal a claim template as the StatefulSet spec holds it. */
export function renderClaimTemplate(t: VolumeClaimTemplate): any {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: t.name },
    spec: {
      accessModes: [...(t.accessModes ?? [StorageAccessMode.READ_WRITE_ONCE])],
      resources: { requests: { storage: t.size.asString() } },
      ...(t.storageClassName !== undefined ? { storageClassName: t.storageClassName } : {}),
    },
  };
}
