import { Endpoint, IEndpoint } from '../dependencies/endpoint';
import { Ambassador } from '../patterns/ambassador';
import { ArtifactInit } from '../patterns/artifact-init';
import { ConfigReloader } from '../patterns/config-reloader';
import { ExporterAdapter } from '../patterns/exporter-adapter';
import { HttpAdapter } from '../patterns/http-adapter';
import { LogCollector } from '../patterns/log-collector';
import { WaitFor } from '../patterns/wait-for';
import { IPodPattern } from '../pod/pattern';

/** @internal the fluent-bit output plugins, as a person names the destination. */
const LOG_DESTINATIONS: Record<string, string> = {
  es: 'Elasticsearch',
  loki: 'Loki',
  forward: 'Forward protocol',
};

/**
 * @internal
 * A link that a pattern makes, beyond volumes, env and ports: between two
 * containers of the Pod, or from one of its containers to an endpoint.
 */
export interface PatternLink {
  /** The container the link starts at. */
  readonly from: string;
  /** The container it ends at; undefined when it ends at `endpoint`. */
  readonly toContainer?: string;
  /** The endpoint it ends at; undefined when it ends at `toContainer`. */
  readonly endpoint?: IEndpoint;
  /** What the link means, in a few words. */
  readonly label: string;
  /** An ordering or a check rather than a data path (drawn dotted). */
  readonly check?: boolean;
}

/**
 * @internal
 * The links of one of this library's patterns (none for other patterns): the
 * app reaching an ambassador on localhost and the ambassador its upstreams,
 * a log collector shipping to its destination, an adapter answering from the
 * app, a reloader telling the app to reload, an init step waiting for
 * endpoints.
 */
export function patternLinks(pattern: IPodPattern, mainContainer: string): PatternLink[] {
  if (pattern instanceof Ambassador) {
    return [
      { from: mainContainer, toContainer: pattern.name, label: `${pattern.envVar} = ${pattern.address}` },
      ...pattern._upstreams.map(endpoint => ({ from: pattern.name, endpoint, label: 'forwards to' })),
    ];
  }
  if (pattern instanceof LogCollector) {
    const destination = LOG_DESTINATIONS[pattern.destination.plugin];
    const settings = pattern.destination._settings();
    if (!destination || typeof settings.host !== 'string' || typeof settings.port !== 'number') return [];
    const endpoint = Endpoint.of(settings.host, settings.port);
    return [{ from: pattern.name, endpoint, label: `ships logs (${destination})` }];
  }
  if (pattern instanceof HttpAdapter) {
    const routes = pattern._routes.map(r => `${r.path} from ${r.upstreamPath}`).join(', ');
    return [{ from: pattern.name, toContainer: mainContainer, label: `answers ${routes}` }];
  }
  if (pattern instanceof ConfigReloader) {
    const action = pattern._action;
    const how = action.reloadSignal !== undefined
      ? `SIG${action.reloadSignal} to ${action.processName}`
      : `${action.method} ${action.url}`;
    return [{ from: pattern.name, toContainer: mainContainer, label: `reloads: ${how}`, check: true }];
  }
  if (pattern instanceof WaitFor) {
    return pattern._endpoints.map(endpoint => ({ from: pattern.name, endpoint, label: 'waits until it answers', check: true }));
  }
  return [];
}

/** @internal a line a pattern adds to the label of one of its containers. */
export interface PatternNote {
  readonly container: string;
  readonly text: string;
}

/**
 * @internal
 * What one of this library's patterns does, in a few words, for the label of
 * its container (none for other patterns).
 */
export function patternNotes(pattern: IPodPattern): PatternNote[] {
  if (pattern instanceof ArtifactInit) return [{ container: pattern.name, text: `copies ${pattern._sourcePath} out of its image` }];
  if (pattern instanceof LogCollector) return [{ container: pattern.name, text: `tails the log files in ${pattern.logDir}` }];
  if (pattern instanceof Ambassador) return [{ container: pattern.name, text: `listens on ${pattern.address} only` }];
  if (pattern instanceof ExporterAdapter) return [{ container: pattern.name, text: `serves Prometheus metrics at ${pattern.path}` }];
  return [];
}
