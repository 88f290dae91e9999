#!/usr/bin/env node
// Renders media/icon.png (128x128): three workflow nodes wired together on a rounded tile.
// Drawn with signed-distance functions and 4x4 supersampling so edges are anti-aliased without any
// image library beyond pngjs. Run `node scripts/make-icon.mjs` after changing the design; the PNG is committed.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const SIZE = 128;
const SS = 4;

/** Distance from p to a rounded rectangle centred at c with half-size h and corner radius r (negative inside). */
function sdRoundRect(px, py, cx, cy, hx, hy, r) {
  const qx = Math.abs(px - cx) - hx + r;
  const qy = Math.abs(py - cy) - hy + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance from p to a cubic Bézier wire (sampled; the icon is tiny, 64 segments are plenty). */
function sdWire(px, py, p0, p1, p2, p3) {
  let best = Infinity;
  let prev = p0;
  for (let i = 1; i <= 64; i++) {
    const t = i / 64,
      u = 1 - t;
    const x = u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0];
    const y = u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1];
    best = Math.min(best, sdSegment(px, py, prev[0], prev[1], x, y));
    prev = [x, y];
  }
  return best;
}

function sdSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

const lerp = (a, b, t) => a + (b - a) * t;
const mix = (c1, c2, t) => c1.map((v, i) => lerp(v, c2[i], t));

// Layout: two source nodes on the left feeding one node on the right.
const nodes = [
  { cx: 34, cy: 40, hx: 20, hy: 14, color: [250, 204, 21] },
  { cx: 34, cy: 88, hx: 20, hy: 14, color: [56, 189, 248] },
  { cx: 94, cy: 64, hx: 20, hy: 22, color: [244, 114, 182] },
];
const wires = [
  { from: [54, 40], to: [74, 56], color: [250, 204, 21] },
  { from: [54, 88], to: [74, 72], color: [56, 189, 248] },
];

function shade(x, y) {
  // Background tile: diagonal gradient, rounded corners; transparent outside.
  const tile = sdRoundRect(x, y, 64, 64, 62, 62, 24);
  if (tile > 0) return [0, 0, 0, 0];
  let c = mix([30, 27, 75], [17, 24, 39], (x + y) / 256);
  for (const w of wires) {
    const d = sdWire(x, y, w.from, [w.from[0] + 12, w.from[1]], [w.to[0] - 12, w.to[1]], w.to);
    if (d < 3) c = w.color;
  }
  for (const n of nodes) {
    const d = sdRoundRect(x, y, n.cx, n.cy, n.hx, n.hy, 6);
    if (d < 0) {
      // Node body with a coloured title bar, like a ComfyUI node.
      const titleBar = y < n.cy - n.hy + 9;
      c = titleBar ? n.color : [243, 244, 246];
      if (!titleBar && Math.abs(y - (n.cy + 4)) < 1.6 && Math.abs(x - n.cx) < n.hx - 7) c = [156, 163, 175];
    }
    // Sockets on the node edges.
    for (const sx of [n.cx - n.hx, n.cx + n.hx]) {
      if (Math.hypot(x - sx, y - n.cy) < 4.5) c = n.color;
    }
  }
  return [...c, 255];
}

const png = new PNG({ width: SIZE, height: SIZE });
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const s = shade(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        // Premultiply so transparent samples do not darken edges.
        for (let i = 0; i < 3; i++) acc[i] += s[i] * s[3];
        acc[3] += s[3];
      }
    }
    const o = (y * SIZE + x) * 4;
    const a = acc[3] / (SS * SS);
    for (let i = 0; i < 3; i++) png.data[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    png.data[o + 3] = Math.round(a);
  }
}
writeFileSync(new URL('../media/icon.png', import.meta.url), PNG.sync.write(png));
console.log('wrote media/icon.png');
