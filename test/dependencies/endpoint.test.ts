import { Endpoint, IEndpoint } from '../../src';
import { errorOf } from '../util';

const HOST_FIX = 'Fix: pass a name like "orders-db.data.svc.cluster.local" or an address like "10.0.12.7".';
const SCHEME_FIX = 'Fix: use a scheme like "http", "https" or "postgres".';

describe('Endpoint', () => {
  test('defaults: a plain TCP endpoint renders host:port', () => {
    // GIVEN / WHEN
    const e: IEndpoint = Endpoint.of('cache.shop.svc.cluster.local', 6379);
    // THEN
    expect([e.host, e.port, e.scheme, e.url]).toEqual(['cache.shop.svc.cluster.local', 6379, undefined, 'cache.shop.svc.cluster.local:6379']);
  });

  test('a scheme makes a URL', () => {
    // GIVEN / WHEN
    const e = Endpoint.of('db.example.com', 5432, { scheme: 'postgres' });
    // THEN
    expect(e.url).toBe('postgres://db.example.com:5432');
  });

  test('an IPv6 host is bracketed in the URL', () => {
    // GIVEN / WHEN
    const e = Endpoint.of('fd00::7', 8080, { scheme: 'http' });
    // THEN
    expect(e.host).toBe('fd00::7');
    expect(e.url).toBe('http://[fd00::7]:8080');
  });

  describe('fails when', () => {
    test('fails when the host is empty', () => {
      expect(errorOf(() => Endpoint.of('', 80))).toBe('[Endpoint.of] host must be a DNS name or an IP address (got ""). ' + HOST_FIX);
    });

    test('fails when the host is a URL', () => {
      expect(errorOf(() => Endpoint.of('http://db', 80))).toBe('[Endpoint.of] host must be a DNS name or an IP address (got "http://db"). ' + HOST_FIX);
    });

    test('fails when the port is out of range', () => {
      expect(errorOf(() => Endpoint.of('db', 0))).toBe('[Endpoint.of] port must be an integer between 1 and 65535 (got 0). Fix: use the port the service listens on, e.g. 5432.');
    });

    test('fails when the scheme is not a URL scheme', () => {
      expect(errorOf(() => Endpoint.of('db', 5432, { scheme: 'Post Gres' })))
        .toBe('[Endpoint.of] scheme must be a URL scheme: a lowercase letter, then letters, digits, \'+\', \'-\' or \'.\' (got "Post Gres"). ' + SCHEME_FIX);
    });
  });
});
