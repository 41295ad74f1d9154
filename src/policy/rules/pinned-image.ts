import { imageTag } from '../manifests';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** Every container's image is pinned to a version tag or a digest. */
export function checkPinnedImage(ctx: RuleContext): void {
  for (const { c, kind } of ctx.containers) {
    const image = typeof c.image === 'string' ? c.image : '';
    const tag = imageTag(image);
    if (!image) {
      ctx.add(PolicyRule.PINNED_IMAGE, PolicySeverity.ERROR,
        `${kind} "${c.name}" names no image. Fix: set image to a reference pinned to a version, e.g. "nginx:1.27.2".`, c.name);
    } else if (tag === '' || tag === 'latest') {
      ctx.add(PolicyRule.PINNED_IMAGE, PolicySeverity.ERROR,
        `${kind} "${c.name}" runs image "${image}", which ${tag === '' ? 'has no tag' : 'uses the "latest" tag'}, so `
        + 'nodes may run different code and a rollback cannot return to the old version. '
        + 'Fix: pin a version tag (e.g. ":1.2.3") or a digest ("@sha256:...").', c.name);
    }
  }
}
