import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a live stream is answered with, on GET and on HEAD. */
export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** One counted change as a Server-Sent Events message. */
export function message(
  pollId: string,
  optionId: string,
  votes: number,
  totalVotes: number,
  position: bigint,
): string {
  const change = { pollId, optionId, votes, totalVotes, position: String(position) };
  return `data: ${JSON.stringify(change)}\n\n`;
}

/** Messages encoded once for every follower: as one HTTP/1.1 chunk, and `body` a view of it. */
export interface FramedChunk {
  framed: Buffer;
  body: Buffer;
}

/** `text` as one chunk of a chunked body (RFC 9112 §7.1). */
export function chunkFrame(text: string): FramedChunk {
  const size = Buffer.byteLength(text);
  const head = `${size.toString(16)}\r\n`;
  const framed = Buffer.from(`${head}${text}\r\n`);
  return { framed, body: framed.subarray(head.length, head.length + size) };
}

/**
 * Writes a chunk to a live stream: straight to its socket when the response owns it (one
 * buffer, framed once for all followers; ServerResponse would frame each copy and write three),
 * else through ServerResponse, which queues behind a pipelined predecessor and keeps the order.
 */
export function writeChunk(stream: ServerResponse, chunk: FramedChunk): void {
  const socket = ownedSocket(stream);
  if (!socket) {
    stream.write(chunk.body);
    return;
  }
  // HTTP/1.1 bodies without a length are chunked; an HTTP/1.0 one ends with the connection.
  const chunked = (stream as { chunkedEncoding?: boolean }).chunkedEncoding === true;
  socket.write(chunked ? chunk.framed : chunk.body);
}

/** The response's socket, unless a pipelined predecessor still has the connection. */
function ownedSocket(stream: ServerResponse): Socket | undefined {
  const socket = stream.socket;
  if (!socket) return undefined;
  return (socket as { _httpMessage?: unknown })._httpMessage === stream ? socket : undefined;
}
