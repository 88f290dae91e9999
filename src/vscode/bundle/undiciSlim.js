'use strict';
// The extension bundle's `undici` (esbuild.mjs aliases `undici` to this file for dist/extension.js only).
// src/core needs three things from undici: `request` (through the global dispatcher, or the one a caller passes),
// `WebSocket` and `Agent` (for the socket's message cap). The package's index also pulls in mock agents, caches, proxy agents, interceptors, EventSource,
// WebSocketStream and more: 500+ KB minified, most of the extension's bundle budget (600 KB). This entry requires
// only the modules behind those two exports. The argument handling of `request` mirrors undici's own
// `makeDispatcher` in index.js (MIT, undici authors). Type-checking still uses the real package's types.
// Everything is required lazily (on the first request or socket), so loading the bundle does not evaluate undici's
// modules: activation stays cheap and undici's setup cost is paid when the first connection is made.
let api;
let util;
let errors;
let global;

function lazy() {
  if (!api) {
    api = require('undici/lib/api/api-request');
    util = require('undici/lib/core/util');
    errors = require('undici/lib/core/errors');
    global = require('undici/lib/global');
  }
}

function request(url, opts, handler) {
  lazy();
  const { InvalidArgumentError } = errors;
  if (typeof opts === 'function') {
    handler = opts;
    opts = null;
  }
  if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
    throw new InvalidArgumentError('invalid url');
  }
  if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
  if (opts && opts.path != null) {
    if (typeof opts.path !== 'string') throw new InvalidArgumentError('invalid opts.path');
    const path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
    url = new URL(util.parseOrigin(url).origin + path);
  } else {
    if (!opts) opts = typeof url === 'object' ? url : {};
    url = util.parseURL(url);
  }
  const { agent, dispatcher = global.getGlobalDispatcher() } = opts;
  if (agent) throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
  return api.call(
    dispatcher,
    {
      ...opts,
      origin: url.origin,
      path: url.search ? `${url.pathname}${url.search}` : url.pathname,
      method: opts.method || (opts.body ? 'PUT' : 'GET'),
    },
    handler,
  );
}

module.exports = {
  request,
  get WebSocket() {
    return require('undici/lib/web/websocket/websocket').WebSocket;
  },
  // The socket's own dispatcher carries the WebSocket message cap (core/comfy/socket.ts); the global dispatcher
  // already loads this module, so exporting it costs nothing.
  get Agent() {
    return require('undici/lib/dispatcher/agent');
  },
  getGlobalDispatcher() {
    lazy();
    return global.getGlobalDispatcher();
  },
};
