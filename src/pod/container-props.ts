import * as kplus from 'cdk8s-plus-27';

/** Every prop of a cdk8s-plus-27 container present as a key, so that the compiler names a prop this copy would miss. */
type AllContainerProps = { [K in keyof Required<kplus.ContainerProps>]: kplus.ContainerProps[K] };

/**
 * @internal
 * The cdk8s-plus-27 props of a container: `options` copied key by key into
 * one fixed shape, with the settings the library decides. Extra keys of
 * `options` (a pattern's named mounts) are left out, and every container the
 * library adds reaches cdk8s-plus-27 in the same shape, which its container
 * constructor reads fastest.
 */
export function containerProps(options: kplus.ContainerProps, settings: {
  readonly name: string;
  readonly imagePullPolicy: kplus.ImagePullPolicy;
  readonly resources: kplus.ContainerResources | undefined;
  readonly securityContext: kplus.ContainerSecurityContextProps;
  readonly readiness: kplus.Probe | undefined;
}): kplus.ContainerProps {
  const props: AllContainerProps = {
    image: options.image,
    name: settings.name,
    port: options.port,
    portNumber: options.portNumber,
    ports: options.ports,
    command: options.command,
    args: options.args,
    workingDir: options.workingDir,
    envVariables: options.envVariables,
    envFrom: options.envFrom,
    volumeMounts: options.volumeMounts,
    imagePullPolicy: settings.imagePullPolicy,
    readiness: settings.readiness,
    liveness: options.liveness,
    startup: options.startup,
    lifecycle: options.lifecycle,
    resources: settings.resources,
    securityContext: settings.securityContext,
  };
  return props;
}
