/**
 * Tiny upstream servers and clients, running inside the test process on
 * 127.0.0.1, for the real proxy and adapter to talk to.
 */
import * as http from 'http';
import * as net from 'net';

/** A server started by a test; `stop` closes it and every open connection. */
export interface LocalServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  readonly stop: () => Promise<void>;
}

function track(server: net.Server): { count: () => number; stop: () => Promise<void> } {
  const sockets = new Set<net.Socket>();
  let count = 0;
  server.on('connection', (s: net.Socket) => {
    count++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return {
    count: () => count,
    stop: () => new Promise<void>(resolve => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}

async function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/**
 * A TCP server that answers each line it receives with `<name> <line>` and
 * keeps the connection open, like a tiny Redis.
 */
export async function startLineServer(name: string): Promise<LocalServer> {
  const server = net.createServer(socket => {
    let buffer = '';
    socket.on('data', d => {
      buffer += String(d);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        socket.write(`${name} ${buffer.slice(0, nl)}\n`);
        buffer = buffer.slice(nl + 1);
      }
    });
    socket.on('error', () => undefined);
  });
  const t = track(server);
  const port = await listen(server);
  return { port, connections: t.count, stop: t.stop };
}

/** Sends one line over a new TCP connection and returns the first line of the answer. */
export async function lineRequest(port: number, line: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(line)} on port ${port} within ${timeoutMs} ms (got ${JSON.stringify(buffer)})`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', d => {
      buffer += String(d);
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        socket.end();
        resolve(buffer.slice(0, nl));
      }
    });
    socket.on('error', e => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (buffer.indexOf('\n') < 0) reject(new Error(`connection to port ${port} closed without an answer`));
    });
  });
}

/** A response of an HTTP upstream. */
export interface CannedResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** An HTTP server answering the given paths (exact match, query string included) and 404 to the rest. */
export async function startHttpServer(routes: Map<string, CannedResponse>): Promise<LocalServer & { readonly paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    const r = routes.get(req.url ?? '');
    res.writeHead(r?.status ?? 404, { 'content-type': r?.contentType ?? 'text/plain' });
    res.end(r?.body ?? 'not found\n');
  });
  const t = track(server);
  const port = await listen(server);
  return { port, connections: t.count, stop: t.stop, paths };
}

/** The result of an HTTP GET. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** GET http://127.0.0.1:port/path with a time limit. */
export async function httpGet(port: number, path: string, agent?: http.Agent, timeoutMs = 3000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: agent ?? false, timeout: timeoutMs }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', d => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on port ${port} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
