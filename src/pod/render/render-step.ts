/**
 * A per-replica volume mounted by name: rendered outside of `spec.template`
 * (as a volume claim template), so the Pod spec only gets its mount.
 */
export interface ClaimMount {
  readonly containerName: string;
  readonly claimName: string;
  readonly path: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

/** The probes of one native sidecar, as rendered Kubernetes JSON. */
export interface NativeSidecarProbes {
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
  readonly startupProbe?: unknown;
}

/**
 * @internal
 * What a workload's composition hands to the render pipeline: plain data,
 * read when the object is rendered (at synth), never earlier.
 */
export interface RenderInput {
  /** Keys from the rendered object to its Pod template, e.g. `['spec', 'template']`. */
  readonly templatePath: readonly string[];
  /** Names of the containers rendered as native sidecars (first among the init containers). */
  readonly nativeSidecars: ReadonlySet<string>;
  /**
   * Probes of native sidecars by container name (cdk8s-plus-27 refuses
   * probes on init containers).
   */
  readonly nativeSidecarProbes: ReadonlyMap<string, NativeSidecarProbes>;
  /** Mounts of per-replica volume claims. */
  readonly claimMounts: readonly ClaimMount[];
  /** Pod template annotations the pipeline adds (e.g. the config hash). */
  readonly templateAnnotations: ReadonlyMap<string, string>;
  /**
   * Fields of the workload spec (the object that holds the template) that
   * cdk8s-plus-27 cannot express, e.g. `volumeClaimTemplates`.
   */
  readonly specFields: ReadonlyMap<string, unknown>;
  /**
   * Paths of the fields the library's own JSON patches set on the object
   * (`PodComposition.setL1Field`): cdk8s applies patches after it orders
   * keys, so these land out of order.
   */
  readonly patchedPaths: readonly (readonly string[])[];
  /**
   * Whether the object carries JSON patches of the app's (escape hatches),
   * which can put keys anywhere.
   */
  readonly userPatched: boolean;
}

/**
 * @internal
 * One named, pure step of the render pipeline: it returns the completed
 * object and leaves its input unchanged.
 */
export interface RenderStep {
  /** The step's name, for errors and docs. */
  readonly name: string;
  /** Returns `obj` completed with what this step renders. */
  apply(obj: any, input: RenderInput): any;
}
