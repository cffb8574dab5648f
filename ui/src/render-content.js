// A formattedContent ({content, format}) rendered by its format: text escaped (Preact escapes text), markdown
// through marked, HTML as given — both sanitised by DOMPurify: no script, event handler, javascript: URL, style or
// image survives (images would load from anywhere; styles would break the page's CSP).
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { html } from 'htm/preact';

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'video', 'audio', 'picture', 'source'],
  FORBID_ATTR: ['style', 'srcset'],
};

export const sanitize = (markup) => DOMPurify.sanitize(markup, PURIFY);

export function RichContent({ value }) {
  if (!value || value.content == null || value.content === '') return html`<p class="muted">None.</p>`;
  const format = value.format ?? 'text';
  if (format === 'html' || format === 'markdown') {
    const markup = sanitize(format === 'html' ? value.content : marked.parse(value.content, { async: false }));
    return html`<div class="rich" data-format=${format} dangerouslySetInnerHTML=${{ __html: markup }}></div>`;
  }
  return html`<div class="rich text" data-format="text">${value.content}</div>`;
}
