import { RenderInput, RenderStep } from './render-step';
import { CLAIM_MOUNTS, KEY_ORDER, NATIVE_SIDECARS, POD_SECURITY, SPEC_FIELDS, TEMPLATE_ANNOTATIONS, UNPRIVILEGED_PORTS } from './steps';

/**
 * @internal
 * The one render pipeline: the ordered steps that complete a workload object
 * rendered by cdk8s-plus-27 with what its 1.27 model cannot express. Fields
 * the 1.27 schema knows are set through the L1 object instead (see
 * `PodComposition.setL1Field`), so only what cdk8s-plus-27 would drop or
 * cannot say goes through here. The last step orders keys.
 */
export const RENDER_PIPELINE: readonly RenderStep[] = Object.freeze([
  NATIVE_SIDECARS,
  CLAIM_MOUNTS,
  POD_SECURITY,
  UNPRIVILEGED_PORTS,
  TEMPLATE_ANNOTATIONS,
  SPEC_FIELDS,
  KEY_ORDER,
]);

/** @internal runs every step of the pipeline, in order, over a rendered workload object. */
export function renderWorkload(obj: any, input: RenderInput, steps: readonly RenderStep[] = RENDER_PIPELINE): any {
  let out = obj;
  for (const step of steps) out = step.apply(out, input);
  return out;
}
