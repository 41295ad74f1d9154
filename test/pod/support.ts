import * as kplus from 'cdk8s-plus-27';
import { IPodPattern, PatternContainerOptions, PatternPort, PodPatternHost } from '../../src';

/** A test pattern that does whatever its callback does with the host. */
export class FnPattern implements IPodPattern {
  constructor(public readonly name: string, private readonly fn: (host: PodPatternHost) => void) {}
  public attach(host: PodPatternHost): void {
    this.fn(host);
  }
}

export function sidecar(name: string, extra: Partial<PatternContainerOptions> = {}, port?: PatternPort): IPodPattern {
  return new FnPattern(name, host => {
    host.addSidecar({ name, image: 'busybox:1.36.1', ...extra });
    if (port) host.declarePort(name, port);
  });
}

export function initStep(name: string, extra: Partial<PatternContainerOptions> = {}): IPodPattern {
  return new FnPattern(name, host => {
    host.addInitContainer({ name, image: 'busybox:1.36.1', ...extra });
  });
}

export const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
