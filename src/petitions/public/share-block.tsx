import { shareLinks, sharedUrl } from '../share-links.ts';
import type { Petition } from '../store.ts';

/** Share links for each channel, and the link itself to copy (works without JavaScript). */
export function ShareBlock({ petition, baseUrl, headingLevel = 2 }: { petition: Petition; baseUrl: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const copyUrl = sharedUrl(baseUrl, petition, 'copy');
  return (
    <section class="share" aria-labelledby="share-heading">
      <Heading id="share-heading">Share this petition</Heading>
      <p>More people sign when a friend asks them. Share it where the people you know are.</p>
      <ul class="share__links">
        {shareLinks(baseUrl, petition).map((link) => (
          <li>
            <a class={`share__link share__link--${link.channel}`} href={link.href} rel={link.external ? 'noopener noreferrer' : undefined}>
              {link.label}
              <span class="visually-hidden"> (share this petition)</span>
            </a>
          </li>
        ))}
      </ul>
      <div class="form-group">
        <label class="label" for="share-url">
          Or copy the link
        </label>
        <div class="copy-field">
          <input class="input" id="share-url" type="text" readOnly value={copyUrl} data-copy-source />
          <button type="button" class="button button--secondary copy-field__button" data-copy-target="share-url" hidden>
            Copy link
          </button>
        </div>
        <p class="copy-field__status" role="status" data-copy-status="share-url" />
      </div>
    </section>
  );
}
