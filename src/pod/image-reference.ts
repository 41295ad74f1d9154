/**
 * Image references (`[registry/]repository[:tag][@digest]`): their syntax, as
 * container runtimes parse it, and what a reference pins.
 */
import * as kplus from 'cdk8s-plus-27';

// the parts of the grammar, as pattern sources: each is checked on its own
// (to name the part that is wrong) and all together (VALID_REFERENCE)
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}';

const REGISTRY = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?$`);
const PATH_COMPONENT = new RegExp(`^${PATH_PART}$`);
const IMAGE_TAG = new RegExp(`^${TAG}$`);
const IMAGE_DIGEST = new RegExp(`^${DIGEST}$`);

/**
 * The whole grammar in one expression, which accepts exactly the references
 * `referenceProblemByParts` accepts (a test compares the two on generated
 * strings): `imageReferenceProblem` runs it first and takes a reference apart
 * only to say what is wrong with one it refuses. The first part names a
 * registry when it holds a '.' or ':' or is localhost, so a repository
 * without a registry has no '.' in its first part.
 */
const REGISTRY_PART = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})+(?::[0-9]+)?|${DOMAIN_COMPONENT}:[0-9]+|localhost)`;
const FIRST_PATH_PART = '[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*';
const VALID_REFERENCE = new RegExp(`^(?:${REGISTRY_PART}/${PATH_PART}(?:/${PATH_PART})*|${FIRST_PATH_PART}(?:/${PATH_PART})+|${PATH_PART})`
  + `(?::${TAG})?(?:@${DIGEST})?$`);

/**
 * What keeps a string from being an image reference
 * (`[registry/]repository[:tag][@digest]`, the grammar container runtimes
 * parse), or undefined when it is one.
 */
export function imageReferenceProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image === '') return 'it is empty';
  return VALID_REFERENCE.test(image) ? undefined : referenceProblemByParts(image);
}

/** @internal whether the one expression accepts `image` (exported for the test that compares it with the parts). */
export function matchesReferenceGrammar(image: string): boolean {
  return VALID_REFERENCE.test(image);
}

/**
 * @internal
 * `imageReferenceProblem` worked out part by part: the registry, the
 * repository's parts, the tag and the digest, each checked on its own so that
 * the message names the part that is wrong.
 */
export function referenceProblemByParts(image: string): string | undefined {
  if (image === '') return 'it is empty';
  if (/\s/.test(image)) return 'it contains whitespace';
  const at = image.indexOf('@');
  const nameAndTag = at < 0 ? image : image.slice(0, at);
  if (at >= 0 && !IMAGE_DIGEST.test(image.slice(at + 1))) return `the digest ${JSON.stringify(image.slice(at + 1))} is not algorithm:hex`;
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const name = colon > lastSlash ? nameAndTag.slice(0, colon) : nameAndTag;
  if (colon > lastSlash && !IMAGE_TAG.test(nameAndTag.slice(colon + 1))) {
    return `the tag ${JSON.stringify(nameAndTag.slice(colon + 1))} is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')`;
  }
  const parts = name.split('/');
  // the first part names a registry when it has a '.' or ':' or is localhost, as runtimes decide
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  if (hasRegistry && !REGISTRY.test(parts[0])) return `the registry ${JSON.stringify(parts[0])} is not a host name with an optional port`;
  const path = hasRegistry ? parts.slice(1) : parts;
  const bad = path.find(p => !PATH_COMPONENT.test(p));
  if (bad !== undefined) {
    return /[A-Z]/.test(bad)
      ? `the repository ${JSON.stringify(path.join('/'))} has upper-case letters`
      : `the repository part ${JSON.stringify(bad)} is not lowercase letters and digits joined by '.', '_', '__' or '-'`;
  }
  return undefined;
}

/** The parts of an image reference after the repository: its tag and its digest, each when given. */
function referenceParts(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const nameAndTag = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(colon + 1) : undefined;
  return { tag: tag || undefined, digest: digest || undefined };
}

/**
 * The tag of an image reference, e.g. "1.27.2-alpine" for
 * "nginx:1.27.2-alpine" (also when a digest follows it), or undefined when it
 * has none.
 */
export function imageTag(image: string): string | undefined {
  return referenceParts(image).tag;
}

/** True when the reference names one image for good: a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  const { tag, digest } = referenceParts(image);
  return digest !== undefined || (tag !== undefined && tag !== 'latest');
}

/**
 * The pull policy of a container whose user chose none: `IfNotPresent` for a
 * pinned image, which cannot change under its reference, so a node that has
 * it starts the Pod without asking the registry; `Always` otherwise, as
 * cdk8s-plus-27 renders by default.
 * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
 */
export function defaultPullPolicy(image: string): kplus.ImagePullPolicy {
  return isPinnedImage(image) ? kplus.ImagePullPolicy.IF_NOT_PRESENT : kplus.ImagePullPolicy.ALWAYS;
}
