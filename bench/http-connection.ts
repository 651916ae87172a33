import { connect, type Socket } from 'node:net';

/**
 * One HTTP/1.1 client connection, one request at a time, written straight onto a TCP socket.
 * node:http's client costs several times more CPU per request than the servers under test spend
 * on the smallest answers; on a two-core machine the load client shares the CPU with the server,
 * so a lean client is what lets the figures describe the server. It keeps the connection alive
 * while the server does, and reconnects (counting the connect in the latency) when the server
 * closes it — moto's Werkzeug server answers every request with `Connection: close`.
 */

export interface HttpResponse {
  status: number;
  body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

interface Pending {
  resolve: (response: HttpResponse) => void;
  reject: (error: Error) => void;
}

type BodyMode = { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'until-close' };

export class HttpConnection {
  private socket: Socket | undefined;
  private pending: Pending | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private bodyStart = -1;
  private mode: BodyMode = { kind: 'until-close' };
  private closeAfter = false;
  /** Times this connection had to (re)connect: 1 when the server keeps connections alive. */
  connects = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends a complete request (head and body) and resolves with the whole response. */
  send(request: string): Promise<HttpResponse> {
    if (this.pending !== undefined) return Promise.reject(new Error('a request is already in flight'));
    return new Promise<HttpResponse>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.buffer = Buffer.alloc(0);
      this.bodyStart = -1;
      this.socketFor().write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private socketFor(): Socket {
    if (this.socket !== undefined) return this.socket;
    this.connects++;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(socket, error));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.pending !== undefined && this.bodyStart !== -1 && this.mode.kind === 'until-close') {
        this.finish(this.buffer.subarray(this.bodyStart));
      } else {
        this.fail(socket, new Error('connection closed before the response was complete'));
      }
    });
    this.socket = socket;
    return socket;
  }

  private fail(socket: Socket, error: Error): void {
    socket.destroy();
    if (this.socket === socket) this.socket = undefined;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  private onData(chunk: Buffer): void {
    if (this.pending === undefined) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.bodyStart === -1 && !this.parseHead()) return;
    const mode = this.mode;
    if (mode.kind === 'length') {
      if (this.buffer.length - this.bodyStart >= mode.length) {
        this.finish(this.buffer.subarray(this.bodyStart, this.bodyStart + mode.length));
      }
    } else if (mode.kind === 'chunked') {
      try {
        const body = decodeChunked(this.buffer, this.bodyStart);
        if (body !== undefined) this.finish(body);
      } catch (error) {
        if (this.socket !== undefined) this.fail(this.socket, error as Error);
      }
    }
  }

  /** Parses the status line and the headers once they are complete; false while they are not. */
  private parseHead(): boolean {
    const end = this.buffer.indexOf(HEAD_END);
    if (end === -1) return false;
    const lines = this.buffer.toString('latin1', 0, end).split('\r\n');
    const statusLine = lines[0] ?? '';
    this.status = Number(statusLine.slice(9, 12));
    let mode: BodyMode = { kind: 'until-close' };
    let connection = statusLine.startsWith('HTTP/1.0') ? 'close' : 'keep-alive';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') mode = { kind: 'length', length: Number(value) };
      else if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked'))
        mode = { kind: 'chunked' };
      else if (name === 'connection') connection = value.toLowerCase();
    }
    this.mode = mode;
    this.closeAfter = connection === 'close' || mode.kind === 'until-close';
    this.bodyStart = end + HEAD_END.length;
    return true;
  }

  private finish(body: Buffer): void {
    const pending = this.pending;
    this.pending = undefined;
    const response = { status: this.status, body: Buffer.from(body) };
    if (this.closeAfter) {
      const socket = this.socket;
      this.socket = undefined;
      socket?.destroy();
    }
    pending?.resolve(response);
  }
}

/** The decoded body once the whole chunked encoding (up to the last, empty chunk) has arrived. */
const decodeChunked = (buffer: Buffer, start: number): Buffer | undefined => {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', at, lineEnd).split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) throw new Error('malformed chunked response');
    // The last chunk, then optional trailers, then an empty line.
    if (size === 0) return buffer.indexOf(HEAD_END, lineEnd) === -1 ? undefined : Buffer.concat(parts);
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
};

/** The bytes of an awsJson1_1 request: the signed headers, the length and the body. */
export const requestText = (headers: Record<string, string>, body: string): string => {
  let text = 'POST / HTTP/1.1\r\n';
  for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
  return `${text}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
