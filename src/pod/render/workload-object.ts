import { ApiObject, JsonPatch } from 'cdk8s';
import { renderWorkload } from './pipeline';
import { RenderInput } from './render-step';

/** @internal what a workload object that the render pipeline completes reports to. */
export interface IRenderedWorkload {
  /** The data the pipeline completes the object with, read when the object is rendered. */
  renderInput(): RenderInput;
  /** Called when the app adds an escape-hatch JSON patch to the object. */
  noteUserPatch(): void;
}

/** The owner of every workload object taken over, for the two shared functions below. */
const ownerOf = new WeakMap<ApiObject, IRenderedWorkload>();

/** `toJson` of a workload object: its class's rendering, completed by the render pipeline. */
function renderedToJson(this: ApiObject): any {
  return renderWorkload(Object.getPrototypeOf(this).toJson.call(this), ownerOf.get(this)!.renderInput());
}

/** `addJsonPatch` of a workload object: the app's escape hatch, reported to the owner, then added. */
function addUserPatch(this: ApiObject, ...ops: JsonPatch[]): void {
  ownerOf.get(this)!.noteUserPatch();
  Object.getPrototypeOf(this).addJsonPatch.apply(this, ops);
}

/**
 * @internal
 * Makes `api` render through the pipeline with `owner`'s input, and report
 * the app's JSON patches to `owner`. Every object shares the same two
 * functions, which find their owner in a WeakMap, rather than holding two
 * closures each.
 */
export function renderThroughPipeline(api: ApiObject, owner: IRenderedWorkload): void {
  ownerOf.set(api, owner);
  api.toJson = renderedToJson;
  api.addJsonPatch = addUserPatch;
}

/** @internal adds a JSON patch of the library's own to `api`: not reported as the app's escape hatch. */
export function addOwnPatch(api: ApiObject, ...ops: JsonPatch[]): void {
  Object.getPrototypeOf(api).addJsonPatch.apply(api, ops);
}
