/**
 * The Kubernetes recommended labels (`app.kubernetes.io/*`) a workload puts on
 * every object it creates and on its Pods. Selectors never use them: they
 * keep selecting on the label cdk8s sets (`cdk8s.io/metadata.addr`), so
 * changing one of these values never changes a selector, and a rollout of an
 * existing Deployment or StatefulSet keeps working. Each value must be a
 * label value: at most 63 letters, digits, '-', '_' and '.', starting and
 * ending with a letter or digit.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export interface AppLabels {
  /**
   * `app.kubernetes.io/name`: the name of the application, e.g. "mysql".
   * @default - the workload's `name` prop, else its construct id (e.g. "web"), made a label value: other characters become '-', cut to 63 characters
   */
  readonly name?: string;

  /**
   * `app.kubernetes.io/instance`: a name that tells this instance of the
   * application from others, e.g. "mysql-orders".
   * @default - the value of the Pods' `cdk8s.io/metadata.addr` label, made from the construct path (e.g. "shop-web-c8f8ddae"), unique in the app
   */
  readonly instance?: string;

  /**
   * `app.kubernetes.io/version`: the version of the application, e.g. "5.7.21".
   * @default - the tag of the main container's image when it is a label value (e.g. "1.27.2-alpine"); none for an image pinned by digest only
   */
  readonly version?: string;

  /**
   * `app.kubernetes.io/component`: the role of this workload in the
   * architecture, e.g. "database" or "frontend".
   * @default - the kind of workload: "stateless-service", "stateful-service", "node-agent", "batch-task" or "scheduled-task"
   */
  readonly component?: string;

  /**
   * `app.kubernetes.io/part-of`: the higher-level application this workload
   * is part of, e.g. "wordpress".
   * @default - the id of the workload's chart (e.g. "shop"), made a label value like `name`
   */
  readonly partOf?: string;

  /**
   * `app.kubernetes.io/managed-by`: the tool that manages the objects.
   * @default "cdk8s"
   */
  readonly managedBy?: string;
}
