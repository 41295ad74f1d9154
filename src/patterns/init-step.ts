import * as kplus from 'cdk8s-plus-27';
import { CheckedCustomContainer, checkCustomContainer, customContainerOptions } from './custom-container';
import { CustomContainerProps } from './custom-container-props';
import { copyResources } from './pattern-checks';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { ValidationError } from '../pod/validation-error';

/**
 * Props of an {@link InitStep}.
 */
export interface InitStepProps extends CustomContainerProps {
  /**
   * Resources of the step.
   * @default SecureDefaults.initStepResources() - requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory
   */
  readonly resources?: kplus.ContainerResources;
}

/**
 * A generic init step: one init container that runs to completion before the
 * app starts.
 *
 * Init steps run strictly one after the other, in the order their patterns
 * were added to the workload. A step that exits non-zero is retried by the
 * kubelet (according to the Pod's restart policy) and the app does not start
 * until every step succeeded.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
export class InitStep implements IPodPattern {
  public readonly name: string;

  /** The image the step runs. */
  public readonly image: string;

  private readonly container: CheckedCustomContainer;
  private readonly resources?: kplus.ContainerResources;

  constructor(props: InitStepProps) {
    const scope = ValidationError.patternSubject('InitStep', props?.name);
    this.container = checkCustomContainer(scope, props, { name: 'migrate', image: 'busybox:1.36.1' });
    this.name = this.container.name;
    this.image = this.container.image;
    this.resources = copyResources(props.resources);
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('InitStep', this.name);
    host.addInitContainer({ ...customContainerOptions(scope, host, this.container), resources: this.resources });
    for (const m of this.container.mainMounts) host.mountOnMain(m);
  }
}

