/**
 * The docs page: Swagger UI from the swagger-ui-dist package (a production dependency, so a
 * deployment carries it), served by this app with no CDN. Files are read once and kept in memory.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { APP_NAME } from '../version.js';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Only what the page loads; anything else under /api/docs/ is a 404. */
const PACKAGE_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// Loaded from a file of ours rather than inline, so the page's CSP can forbid inline scripts.
const INIT_SCRIPT = `var spec = new URL('../openapi.json', document.currentScript.src).href;
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: spec, dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
});
`;

/** Swagger UI sets style attributes, hence 'unsafe-inline' for styles only; scripts come from here alone. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(body: Buffer, contentType: string): StaticAsset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

let assets: Map<string, StaticAsset> | undefined;

function loadAssets(): Map<string, StaticAsset> {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const loaded = new Map<string, StaticAsset>();
  for (const [name, contentType] of Object.entries(PACKAGE_FILES)) loaded.set(name, asset(readFileSync(join(dir, name)), contentType));
  loaded.set('init.js', asset(Buffer.from(INIT_SCRIPT), 'text/javascript; charset=utf-8'));
  return loaded;
}

/** A file of the docs page by its name under /api/docs/, or undefined. */
export function docsAsset(name: string): StaticAsset | undefined {
  assets ??= loadAssets();
  return assets.get(name);
}

/** The page itself; `assetBase` is the path its files are served under (/api/docs/). */
export function docsHtml(assetBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${APP_NAME} API</title>
  <link rel="stylesheet" href="${assetBase}swagger-ui.css">
  <link rel="icon" type="image/png" href="${assetBase}favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${assetBase}swagger-ui-bundle.js"></script>
  <script src="${assetBase}init.js"></script>
</body>
</html>
`;
}
