'use strict';
// What `@dagrejs/dagre` resolves to inside dist/extension.js: a stand-in that loads the real library from
// dist/dagre.js the first time a graph is laid out automatically, so activation never parses it (like undiciLazy.js).
let real;
function load() {
  if (!real) real = require('./dagre.js');
  return real;
}

module.exports = {
  get graphlib() {
    return load().graphlib;
  },
  layout(...args) {
    return load().layout(...args);
  },
};
