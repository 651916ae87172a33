import { describe, expect, it } from 'vitest';
import { html, safeUrl, trustedHtml } from './html.js';

describe('the html template', () => {
  it('escapes every interpolated value', () => {
    const name = `<script>alert("x")</script> & 'friends' \``;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39; &#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39; &#96;</p>',
    );
  });

  it('keeps nested templates and trusted markup, renders lists, and drops empty values', () => {
    const items = ['a<b', 'c'];
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${false}${undefined}${null}${trustedHtml('<hr>')}${0}`;
    expect(out.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>0');
  });

  it('lets only http(s) and same-site paths into links', () => {
    expect(safeUrl('/start')).toBe('/start');
    expect(safeUrl('https://example.com/x?y=1')).toBe('https://example.com/x?y=1');
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl('//evil.example/')).toBe('#');
    expect(safeUrl('data:text/html,hi')).toBe('#');
  });
});
