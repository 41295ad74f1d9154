/**
 * Ports below 1024 for non-root containers. A non-root process can bind such
 * a port only when the Pod lowers the kernel's `ip_unprivileged_port_start`,
 * a sysctl of the safe set that the "restricted" Pod Security Standard
 * allows. Internal: not exported from the package entry point.
 */

/** @internal the sysctl that sets the lowest port a non-root process may bind. */
export const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** @internal the kernel's default value of the sysctl. */
const KERNEL_DEFAULT = 1024;

/** @internal a port below 1024 declared by a container that does not run as root. */
export interface LowPort {
  readonly container: string;
  readonly port: number;
}

/**
 * @internal
 * The lowest port below 1024 that a non-root container declares, or undefined
 * when none does. `containers` gives each container's effective user (its
 * own, else the Pod's; undefined when neither sets one, which is never root
 * in this library's workloads) and declared port numbers.
 */
export function lowestLowPort(containers: readonly { name: string; user?: number; ports: readonly number[] }[]): LowPort | undefined {
  let lowest: LowPort | undefined;
  for (const c of containers) {
    if (c.user === 0) continue;
    for (const port of c.ports) {
      if (port < KERNEL_DEFAULT && (lowest === undefined || port < lowest.port)) lowest = { container: c.name, port };
    }
  }
  return lowest;
}
