'use strict';
// Entry of dist/dagre.js (see plugins.mjs): the real @dagrejs/dagre with @dagrejs/graphlib bundled in.
module.exports = require('@dagrejs/dagre');
