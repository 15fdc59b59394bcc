/**
 * A small DEMO logo for the demo signer's branded call: a rounded square in a colour derived from
 * the name, with the name's first letter, drawn on a canvas and encoded as PNG. Made in the page so
 * no third-party image ships with it; `variant` gives other bytes for the "tampered logo" case.
 */

/** Standard base64 of bytes (what `rcdResources` / `resources` take). */
export function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function hueOf(text) {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}

/**
 * @param {string} name the branded name (its first letter is drawn)
 * @param {{ size?: number, variant?: number }} [opts] variant 0: the real logo; others: same look,
 *   other colour (so other bytes)
 * @returns {Promise<Uint8Array>} PNG bytes
 */
export async function makeDemoLogo(name, { size = 64, variant = 0 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  const hue = (hueOf(name) + variant * 150) % 360;
  g.fillStyle = `hsl(${hue} 65% 32%)`;
  g.beginPath();
  g.roundRect(0, 0, size, size, size * 0.2);
  g.fill();
  g.fillStyle = '#fff';
  g.font = `bold ${Math.round(size * 0.6)}px sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText((name.trim()[0] ?? '?').toUpperCase(), size / 2, size / 2 + size * 0.04);
  const blob = await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas made no PNG'))), 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}
