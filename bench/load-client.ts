/**
 * The load generator of the runtime benchmark, run in a process of its own:
 *
 *   node load-client.js latency <port> <path> <seconds>
 *   node load-client.js throughput <port> <path> <seconds> <connections>
 *
 * latency: one keep-alive connection, one request at a time, each timed with
 * the monotonic clock (microsecond resolution; autocannon's histogram only
 * keeps whole milliseconds). The first 10% of the time is a warm-up and is
 * not recorded. A connection the server closes is reopened, and that request
 * includes the reconnection.
 *
 * throughput: autocannon with `connections` keep-alive connections.
 *
 * Prints one line of JSON.
 */
import * as net from 'net';

interface LatencyResult {
  readonly requests: number;
  readonly reconnects: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(port: number, path: string, seconds: number): Promise<LatencyResult> {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: bench\r\n\r\n`);
  const warmupEnd = process.hrtime.bigint() + BigInt(Math.round(seconds * 0.1 * 1e9));
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let samples = new Float64Array(65536);
  let count = 0;
  let reconnects = 0;

  let socket: net.Socket | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  let onAnswer: (() => void) | undefined;
  let onClose: (() => void) | undefined;

  const connect = () => new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true });
    s.once('connect', () => resolve());
    s.once('error', reject);
    s.on('data', (d: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, d]) : d;
      if (onAnswer && complete()) onAnswer();
    });
    s.on('close', () => {
      if (socket === s) socket = undefined;
      onClose?.();
    });
    socket = s;
  });

  /** True once `buffer` holds one whole response (Content-Length bodies only); consumes it. */
  const complete = (): boolean => {
    const head = buffer.indexOf('\r\n\r\n');
    if (head < 0) return false;
    const header = buffer.subarray(0, head).toString('latin1');
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(header);
    if (!m) throw new Error(`response without Content-Length:\n${header}`);
    const total = head + 4 + Number(m[1]);
    if (buffer.length < total) return false;
    if (!header.startsWith('HTTP/1.1 200')) throw new Error(`unexpected response:\n${header}`);
    buffer = buffer.subarray(total);
    return true;
  };

  const once = () => new Promise<void>((resolve, reject) => {
    onAnswer = () => {
      onAnswer = undefined;
      onClose = undefined;
      resolve();
    };
    onClose = () => {
      if (onAnswer) reject(new Error('closed'));
    };
    socket!.write(request);
  });

  while (process.hrtime.bigint() < end) {
    const start = process.hrtime.bigint();
    for (;;) {
      try {
        if (!socket) {
          buffer = Buffer.alloc(0);
          await connect();
          reconnects++;
        }
        await once();
        break;
      } catch {
        socket?.destroy();
        socket = undefined;
      }
    }
    const stop = process.hrtime.bigint();
    if (start >= warmupEnd) {
      if (count === samples.length) {
        const bigger = new Float64Array(samples.length * 2);
        bigger.set(samples);
        samples = bigger;
      }
      samples[count++] = Number(stop - start) / 1e6;
    }
  }
  socket?.destroy();
  const sorted = samples.slice(0, count).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    requests: count,
    reconnects: reconnects - 1,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: sum / count,
  };
}

async function throughput(port: number, path: string, seconds: number, connections: number): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const autocannon = require('autocannon');
  const cpu = process.cpuUsage();
  const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: seconds });
  const used = process.cpuUsage(cpu);
  return {
    clientCpuUsPerRequest: (used.user + used.system) / r.requests.total,
    rps: r.requests.average,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
  };
}

async function main(): Promise<void> {
  const [mode, port, path, seconds, connections] = process.argv.slice(2);
  const result = mode === 'latency'
    ? await latency(Number(port), path, Number(seconds))
    : await throughput(Number(port), path, Number(seconds), Number(connections));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
