// Issue 13, finding 9: a server (or a proxy in front of it) that negotiates permessage-deflate cannot turn a small
// frame into a huge message: the socket refuses what inflates past MAX_WS_MESSAGE_BYTES instead of delivering it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { deflateRawSync } from 'node:zlib';
import { ComfySocket, MAX_WS_MESSAGE_BYTES } from '../../src/core/comfy/socket';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import { listenOnLoopback } from '../helpers/loopback';

/** One unmasked text frame with RSV1 (compressed) set. */
function compressedTextFrame(payload: Buffer): Buffer {
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0xc1, len])
      : len < 65536
        ? Buffer.from([0xc1, 126, len >> 8, len & 255])
        : Buffer.concat([
            Buffer.from([0xc1, 127]),
            (() => {
              const b = Buffer.alloc(8);
              b.writeBigUInt64BE(BigInt(len));
              return b;
            })(),
          ]);
  return Buffer.concat([head, payload]);
}

test('a deflate bomb on the WebSocket is refused, not inflated into a huge message', { timeout: 30_000 }, async () => {
  const huge = `{"type":"status","data":{"pad":"${'a'.repeat(MAX_WS_MESSAGE_BYTES + 1024 * 1024)}"}}`;
  const deflated = deflateRawSync(Buffer.from(huge));
  const payload = deflated.subarray(0, deflated.length - 4); // RFC 7692: drop the 00 00 ff ff tail
  assert.ok(payload.length < 64 * 1024, `the bomb is small on the wire (${payload.length} bytes)`);
  const server = createServer();
  server.on('upgrade', (req, socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${accept}`,
        'Sec-WebSocket-Extensions: permessage-deflate',
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(compressedTextFrame(payload));
    socket.on('error', () => {});
  });
  const http = await listenOnLoopback(server);
  const socket = new ComfySocket({ baseUrl: `http://127.0.0.1:${http.port}`, reconnect: { enabled: false } });
  const messages: ComfyMessage[] = [];
  const inflated: number[] = [];
  // Whichever comes first: the huge message (before the fix) or the refusal closing the socket.
  const closed = new Promise<void>((resolve) => {
    socket.on('message', (m) => {
      messages.push(m);
      resolve();
    });
    socket.on('malformed', (m) => {
      inflated.push(m.byteLength);
      resolve();
    });
    socket.on('close', () => resolve());
  });
  try {
    socket.connect();
    await closed;
    assert.equal(messages.length, 0, 'the inflated message was not delivered');
    assert.deepEqual(inflated, [], 'nor inflated and then dropped as malformed');
  } finally {
    socket.dispose();
    await http.close();
  }
});
