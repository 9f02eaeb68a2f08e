/**
 * GET /dev/mailbox on the local host only: the mails the ACS Email stand-in accepted, newest first,
 * as a page with clickable links, or as JSON {items} for `Accept: application/json`. The launcher
 * names the stand-in's mailbox in LOCAL_MAILBOX_URL; nothing in functions/ knows this page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DEV_MAILBOX_PATH = '/dev/mailbox';

interface Mail {
  from?: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  sentAt?: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const LINK = /\bhttps?:\/\/[^\s<>"']+/g;

/** Escaped text with every http(s) URL turned into a link; nothing else of the mail becomes markup. */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    const at = match.index;
    out += escapeHtml(text.slice(last, at)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = at + url.length;
  }
  return out + escapeHtml(text.slice(last));
}

/** http(s) links of the HTML body, which itself is shown only as source, never rendered. */
function htmlLinks(html: string): string[] {
  const links = [...html.matchAll(/href\s*=\s*["']?(https?:\/\/[^"'\s>]+)/gi)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
  return [...new Set(links)];
}

export function renderMailbox(items: Mail[]): string {
  const mails = items.map((m) => {
    const links = htmlLinks(m.html ?? '');
    return `<article>
<h2>${escapeHtml(m.subject ?? '')}</h2>
<p class="meta">to <b>${escapeHtml(m.to ?? '')}</b> from ${escapeHtml(m.from ?? '')} at <time>${escapeHtml(m.sentAt ?? '')}</time></p>
<pre>${linkify(m.text ?? '')}</pre>
${links.length > 0 ? `<p>Links in the HTML body: ${links.map((l) => `<a href="${escapeHtml(l)}">${escapeHtml(l)}</a>`).join(' ')}</p>` : ''}
${m.html ? `<details><summary>HTML source</summary><pre>${escapeHtml(m.html)}</pre></details>` : ''}
</article>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local mailbox</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}article{border-bottom:1px solid #ccc;padding:.5rem 0}pre{white-space:pre-wrap}.meta{color:#555}</style>
</head><body>
<h1>Local mailbox</h1>
<p>${items.length} mail${items.length === 1 ? '' : 's'} sent through the ACS Email stand-in, newest first. Reload to refresh.</p>
${mails.join('\n')}
</body></html>`;
}

/** Serves the page; answers 404 when the launcher started no email stand-in. */
export async function serveDevMailbox(request: IncomingMessage, response: ServerResponse, mailboxUrl: string | undefined): Promise<number> {
  if (!mailboxUrl) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('No email stand-in runs with this host (LOCAL_MAILBOX_URL is not set).');
    return 404;
  }
  const upstream = await fetch(mailboxUrl, { headers: { accept: 'application/json' } }).catch(() => undefined);
  if (!upstream?.ok) {
    response.writeHead(502, { 'Content-Type': 'text/plain' }).end(`The email stand-in at ${mailboxUrl} did not answer.`);
    return 502;
  }
  const items = ((await upstream.json()) as { items?: Mail[] }).items ?? [];
  if ((request.headers.accept ?? '').includes('application/json')) {
    const json = items.map((m) => ({ from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html, sentAt: m.sentAt }));
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ items: json }));
    return 200;
  }
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // Mail content is untrusted: no script can run on this page whatever slips through.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  response.end(renderMailbox(items));
  return 200;
}
