import { App, ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NativeSidecarProbes } from './render/render-step';

/** The probes a native sidecar was given (cdk8s-plus-27 refuses probes on init containers). */
export interface SidecarProbes {
  readonly readiness?: kplus.Probe;
  readonly liveness?: kplus.Probe;
  readonly startup?: kplus.Probe;
}

/**
 * @internal
 * Renders the probes of a native sidecar as cdk8s-plus-27 renders the probes
 * of an app container: through a container of the same name and first port
 * in a Pod of its own, outside the app (so the app gets no extra object).
 */
export function renderSidecarProbes(sidecar: kplus.Container, probes: SidecarProbes): NativeSidecarProbes {
  const pod = new kplus.Pod(new Chart(new App(), 'probes'), 'pod', {
    containers: [{
      name: sidecar.name,
      image: sidecar.image,
      portNumber: sidecar.portNumber,
      readiness: probes.readiness,
      liveness: probes.liveness,
      startup: probes.startup,
    }],
  });
  const rendered = ApiObject.of(pod).toJson().spec.containers[0];
  return {
    readinessProbe: rendered.readinessProbe,
    livenessProbe: rendered.livenessProbe,
    startupProbe: rendered.startupProbe,
  };
}

/** @internal The rendered probes of every native sidecar that has some, by container name. */
export function renderNativeSidecarProbes(probes: ReadonlyMap<kplus.Container, SidecarProbes>): Map<string, NativeSidecarProbes> {
  return new Map([...probes].map(([c, p]) => [c.name, renderSidecarProbes(c, p)]));
}
