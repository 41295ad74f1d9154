/**
 * A tiny DNS server on 127.0.0.1 for the WaitFor script's DNS check.
 *
 * busybox `nslookup` asks the DNS server directly and never reads
 * /etc/hosts, so even `localhost` only resolves when a server answers for it.
 * This one answers A queries for the names it was given (with 127.0.0.1),
 * an empty NOERROR to other query types of those names, and NXDOMAIN to
 * everything else, and records every question it was asked.
 */
import * as dgram from 'dgram';

/** A running loopback DNS server. */
export interface LocalDns {
  /** The UDP port on 127.0.0.1. */
  readonly port: number;
  /** Every name asked so far, lower case, without the final dot, in order. */
  readonly questions: string[];
  readonly stop: () => Promise<void>;
}

const TYPE_A = 1;
const CLASS_IN = 1;

/** Starts a server that knows `names` (fully qualified, without the final dot). */
export async function startDns(names: string[]): Promise<LocalDns> {
  const known = new Set(names.map(n => n.toLowerCase()));
  const questions: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const answer = respond(msg, known, questions);
    if (answer) socket.send(answer, rinfo.port, rinfo.address);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket.address().port));
  });
  return {
    port,
    questions,
    stop: () => new Promise<void>(resolve => socket.close(() => resolve())),
  };
}

/** The answer to one query message, or undefined for a message that is not a single standard query. */
function respond(msg: Buffer, known: Set<string>, questions: string[]): Buffer | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < msg.length && msg[offset] !== 0) {
    const len = msg[offset];
    if (len > 63 || offset + 1 + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
  offset += 1;
  if (offset + 4 > msg.length) return undefined;
  const qtype = msg.readUInt16BE(offset);
  const question = msg.subarray(12, offset + 4);
  const name = labels.join('.').toLowerCase();
  questions.push(name);

  const found = known.has(name);
  const withAddress = found && qtype === TYPE_A;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0); // id
  // flags: QR and AA set, RD copied from the query, RA set; RCODE 0 (NOERROR) or 3 (NXDOMAIN)
  const recursionDesired = Math.floor(msg.readUInt16BE(2) / 0x100) % 2; // bit 8 of the query's flags
  header.writeUInt16BE(0x8400 + recursionDesired * 0x0100 + 0x0080 + (found ? 0 : 3), 2);
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(withAddress ? 1 : 0, 6); // answers
  if (!withAddress) return Buffer.concat([header, question]);
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(5, 6); // TTL
  record.writeUInt16BE(4, 10);
  Buffer.from([127, 0, 0, 1]).copy(record, 12);
  return Buffer.concat([header, question, record]);
}
