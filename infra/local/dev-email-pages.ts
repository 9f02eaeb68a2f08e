/**
 * The pages links in mails open on the local host (EMAIL_LINK_BASE_URL = <host>/dev/email): each
 * reads the token from the URL fragment and posts it to the API, as the game's web front end would.
 * Local only; nothing in functions/ knows these pages.
 */
import type { ServerResponse } from 'node:http';

export const DEV_EMAIL_PREFIX = '/dev/email/';

const PAGES: Record<string, { title: string; route: string; password: boolean }> = {
  'verify-email': { title: 'Verify your email', route: '/api/email/verify', password: false },
  'reset-password': { title: 'Choose a new password', route: '/api/password/reset', password: true },
  'confirm-email-change': { title: 'Confirm your new email', route: '/api/email/change/confirm', password: false },
};

function page(title: string, route: string, password: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto}input,button{font:inherit;padding:.4rem}</style></head>
<body><h1>${title}</h1>
<form id="f">${password ? '<p><label>New password <input id="pw" type="password" minlength="12" required></label></p>' : ''}<p><button>${title}</button></p></form>
<p id="out" role="status"></p>
<script>
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const out = document.getElementById('out');
document.getElementById('f').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { token };
  ${password ? "body.newPassword = document.getElementById('pw').value;" : ''}
  const res = await fetch('${route}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  out.textContent = res.ok ? 'Done: ' + (text || 'the password is set; log in with it.') : 'Refused (' + res.status + '): ' + text;
});
</script></body></html>`;
}

/** Serves one of the pages; 404 for any other name. Returns the status. */
export function serveDevEmailPage(pathname: string, response: ServerResponse): number {
  const spec = PAGES[pathname.slice(DEV_EMAIL_PREFIX.length)];
  if (!spec) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
    return 404;
  }
  // The token stays in the fragment: never sent to a server, never in a Referer.
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(page(spec.title, spec.route, spec.password));
  return 200;
}
