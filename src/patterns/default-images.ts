/**
 * The images the library's patterns run when no `image` is given, in one
 * place. Each pattern's `DEFAULT_IMAGE` reads from here.
 *
 * Every image is pinned to a version. The update bot's configuration
 * (`renovate.json` at the repository root) matches the quoted
 * `name:tag` strings of this file, so a new version of any of them is
 * proposed as a change to this one file.
 *
 * An organisation that runs other images (an internal mirror, a patched
 * build) passes each pattern's `image` prop; the README's "Images" section
 * shows how to keep those choices in one module of its own.
 */
export class DefaultImages {
  /**
   * HAProxy, run by the `Ambassador` as user 99 ("haproxy").
   * @see https://hub.docker.com/_/haproxy
   */
  public static readonly HAPROXY = 'haproxy:2.8.11-alpine';

  /**
   * nginx built to run unprivileged, run by the `HttpAdapter` as user 101 ("nginx").
   * @see https://hub.docker.com/r/nginxinc/nginx-unprivileged
   */
  public static readonly NGINX_UNPRIVILEGED = 'nginxinc/nginx-unprivileged:1.27.2-alpine';

  /**
   * fluent-bit, run by the `LogCollector`.
   * @see https://docs.fluentbit.io/manual/installation/docker
   */
  public static readonly FLUENT_BIT = 'cr.fluentbit.io/fluent/fluent-bit:3.2.10';

  /**
   * busybox, run by `WaitFor` and the `ConfigReloader` for `sh`, `nc`, `wget`, `md5sum` and `pkill`.
   * @see https://hub.docker.com/_/busybox
   */
  public static readonly BUSYBOX = 'busybox:1.36.1';

  private constructor() {}
}
