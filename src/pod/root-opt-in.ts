/**
 * An explicit choice to run the main container as root (user 0).
 *
 * Every container of a workload needs a numeric user: the kubelet refuses a
 * container with `runAsNonRoot: true` whose image runs as root, and it can only
 * check an image's user when it is numeric. Images built to run as root
 * (`tomcat`, `nginx`, `httpd`, `mysql`) are best started as a numeric non-root
 * user with `writablePaths` for what they write (see docs/running-root-images.md).
 * When an image really needs root, this names that choice.
 *
 * Pod Security consequence: the container renders `runAsNonRoot: false` and
 * `runAsUser: 0`, so its Pod no longer meets the "restricted" Pod Security
 * Standard and is refused in namespaces that enforce it; it still meets
 * "baseline". Capabilities stay dropped (`drop: [ALL]`), privilege escalation
 * stays off and the root filesystem stays read-only, so an image whose root
 * process switches users (e.g. nginx's master process) still fails: give
 * those a numeric user instead. The PolicyReport reports the container under
 * the rule `container-runs-as-root` (a WARNING).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum RootOptIn {
  /**
   * Run the main container as user 0, accepting that its Pod meets the
   * "baseline" Pod Security Standard only, not "restricted".
   */
  ACCEPT_BASELINE_POD_SECURITY = 'accept-baseline-pod-security',
}
