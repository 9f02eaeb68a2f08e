/** The local mailbox page's rendering: mail content is untrusted, only http(s) links become markup. */
import { describe, expect, it } from 'vitest';
import { renderMailbox } from '../../infra/local/dev-mailbox.js';

describe('renderMailbox', () => {
  it('links http(s) URLs of the text and of the HTML body, and escapes everything else', () => {
    const page = renderMailbox([
      {
        to: 'a@example.com',
        subject: '"quoted" & <b>bold</b>',
        text: 'Go to https://example.test/v?a=1&b=2. Then javascript:alert(1) and <i>x</i>',
        html: '<a href="javascript:alert(1)">bad</a><a href=\'http://localhost/reset?t=1&amp;u=2\'>ok</a>',
        sentAt: '2026-12-01T00:00:00.000Z',
      },
    ]);
    expect(page).toContain('<a href="https://example.test/v?a=1&amp;b=2">https://example.test/v?a=1&amp;b=2</a>. Then');
    expect(page).toContain('<a href="http://localhost/reset?t=1&amp;u=2">');
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('&lt;i&gt;x&lt;/i&gt;');
    expect(page).toContain('1 mail sent');
  });

  it('says so when there is no mail', () => {
    expect(renderMailbox([])).toContain('0 mails sent');
  });
});
