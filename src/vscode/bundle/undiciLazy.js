'use strict';
// What `undici` resolves to inside dist/extension.js: a stand-in that loads the real (slimmed) undici from
// dist/undici.js on first use. Activation thus neither parses nor evaluates the HTTP/WebSocket stack; it loads when
// the first request or socket is made (right after activation, off its critical path).
let real;
function load() {
  if (!real) real = require('./undici.js');
  return real;
}

module.exports = {
  request(...args) {
    return load().request(...args);
  },
  get WebSocket() {
    return load().WebSocket;
  },
  get Agent() {
    return load().Agent;
  },
  getGlobalDispatcher() {
    return load().getGlobalDispatcher();
  },
};
