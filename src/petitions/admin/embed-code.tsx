import { escapeHtml } from '../../platform/index.ts';
import type { Petition } from '../store.ts';

/** The code for putting an open petition on another website: for its organisers, on its admin page. */
export function EmbedCode({ petition, baseUrl }: { petition: Petition; baseUrl: string }) {
  const title = escapeHtml(`Petition: ${petition.action}`);
  const code = `<iframe src="${baseUrl}/petitions/${petition.id}/embed" title="${title}" width="360" height="260" loading="lazy"></iframe>`;
  return (
    <section aria-labelledby="embed-heading">
      <h2 id="embed-heading">Put this petition on your website</h2>
      <p>Copy this code into your page to show the petition and its live count, with a link to sign. It loads nothing from anyone else.</p>
      <div class="form-group">
        <label class="label" for="embed-code">
          Code to embed
        </label>
        <textarea class="textarea textarea--code" id="embed-code" rows={4} readOnly>
          {code}
        </textarea>
        <button type="button" class="button button--secondary" data-copy-target="embed-code" hidden>
          Copy code
        </button>
        <p class="copy-field__status" role="status" data-copy-status="embed-code" />
      </div>
      <p>
        Or use the counter image: <code>{`${baseUrl}/petitions/${petition.id}/counter.svg`}</code>
      </p>
    </section>
  );
}
