/**
 * How the recommended labels get their values and onto the objects of a
 * workload (see `AppLabels`).
 */
import { ApiObject, ApiObjectMetadataDefinition, Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppLabels } from './app-labels';
import { imageTag } from './image-reference';
import { WorkloadKind } from './pattern';
import { assertLabelValue, isLabelValue } from './validators';

/** @internal the Kubernetes recommended label keys, in the order the docs list them. */
export const APP_LABEL_KEYS = Object.freeze({
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
});

/** @internal the `app.kubernetes.io/component` of each kind of workload, unless `appLabels.component` says otherwise. */
export const DEFAULT_COMPONENT: Record<WorkloadKind, string> = {
  [WorkloadKind.DEPLOYMENT]: 'stateless-service',
  [WorkloadKind.STATEFUL_SET]: 'stateful-service',
  [WorkloadKind.DAEMON_SET]: 'node-agent',
  [WorkloadKind.JOB]: 'batch-task',
  [WorkloadKind.CRON_JOB]: 'scheduled-task',
};

/** What a workload knows for the defaults of its labels. */
export interface AppLabelDefaults {
  /** The workload's `name` prop, if given. */
  readonly objectName?: string;
  /** The image of the main container, whose tag gives the version. */
  readonly image?: string;
  /** The instance: the construct path as cdk8s writes label values. */
  readonly instance: string;
  /** The kind of workload, e.g. "stateless-service". */
  readonly component: string;
}

/**
 * @internal
 * A label value made from free text: characters a label value cannot hold
 * become '-', at most 63 characters, trimmed to start and end with a letter or
 * digit; undefined when nothing is left.
 */
export function toLabelValue(text: string): string | undefined {
  const value = text.replace(/[^-A-Za-z0-9_.]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return isLabelValue(value) ? value : undefined;
}

/**
 * @internal
 * The values of the recommended labels, by the `AppLabels` field they come
 * from; undefined for a label left out. One small object of a fixed shape per
 * workload, which thousands of workloads keep until synth.
 */
export type AppLabelValues = Readonly<Record<keyof AppLabels, string | undefined>>;

/** The fields of `AppLabels`, in the order of `APP_LABEL_KEYS`. */
const APP_LABEL_FIELDS = Object.freeze(Object.keys(APP_LABEL_KEYS) as (keyof AppLabels)[]);

/** A valid example of each label value, for the fix of a bad one. */
const APP_LABEL_EXAMPLES: Readonly<Record<keyof AppLabels, string>> = Object.freeze({
  name: 'orders', instance: 'orders-eu', version: '1.2.3', component: 'backend', partOf: 'shop', managedBy: 'cdk8s',
});

/**
 * @internal
 * The recommended labels of the workload `scope`: the values given in
 * `labels`, each checked to be a label value, else the defaults. The version
 * is left out when neither given nor read from the image's tag.
 */
export function resolveAppLabels(scope: IConstruct, labels: AppLabels | undefined, defaults: AppLabelDefaults): AppLabelValues {
  const given: AppLabels = { ...labels };
  for (const key of APP_LABEL_FIELDS) {
    const value = given[key];
    if (value !== undefined) assertLabelValue(scope, `appLabels.${key}`, value, APP_LABEL_EXAMPLES[key]);
  }
  const tag = defaults.image === undefined ? undefined : imageTag(defaults.image);
  return {
    name: given.name ?? toLabelValue(defaults.objectName ?? scope.node.id) ?? 'app',
    instance: given.instance ?? defaults.instance,
    version: given.version ?? (isLabelValue(tag) ? tag : undefined),
    component: given.component ?? defaults.component,
    partOf: given.partOf ?? toLabelValue(Chart.of(scope).node.id),
    managedBy: given.managedBy ?? 'cdk8s',
  };
}

/** @internal adds each label the metadata does not have yet (a label set elsewhere keeps its value), in the order of `APP_LABEL_KEYS`. */
export function addMissingLabels(metadata: ApiObjectMetadataDefinition, labels: AppLabelValues): void {
  for (const field of APP_LABEL_FIELDS) {
    const value = labels[field];
    const key = APP_LABEL_KEYS[field];
    if (value !== undefined && metadata.getLabel(key) === undefined) metadata.addLabel(key, value);
  }
}

/**
 * @internal
 * Labels every object under `scope` (its own objects and those of its
 * patterns). Idempotent: call it again after more objects were added.
 */
export function labelObjects(scope: IConstruct, labels: AppLabelValues): void {
  for (const c of scope.node.findAll()) {
    if (c instanceof ApiObject) addMissingLabels(c.metadata, labels);
  }
}

/**
 * @internal
 * Labels the objects of a construct that is no workload (a config, an
 * external service) with the recommended labels' defaults: `name` and
 * `component` as given, the instance from its construct path, no version.
 */
export function labelStandalone(scope: IConstruct, name: string, component: string): void {
  labelObjects(scope, resolveAppLabels(scope, undefined, { objectName: name, component, instance: Names.toLabelValue(scope) }));
}
