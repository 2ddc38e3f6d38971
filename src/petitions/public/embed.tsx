import { renderToString } from 'preact-render-to-string';
import { EmbedLayout, formatNumber, usePage } from '../../platform/index.ts';
import type { Petition } from '../store.ts';
import { CountAndProgress } from './count-and-progress.tsx';

/**
 * The counter a group puts on its own website in an <iframe>: the action, the live count and a
 * link to sign (in a new tab, out of the frame). No script, and nothing from anyone else.
 */
export function EmbedPage({ petition, baseUrl }: { petition: Petition; baseUrl: string }) {
  const page = usePage();
  return (
    <EmbedLayout title={`Petition: ${petition.action}`} appendBrand={false} noindex>
      <p class="embed__brand">{page.brand.name}</p>
      <h1 class="embed__title">{petition.action}</h1>
      <CountAndProgress petition={petition} headingLevel={2} />
      {petition.state === 'open' ? (
        <a class="button button--primary embed__sign" href={`${baseUrl}${petition.path}?utm_source=embed#sign-heading`} target="_blank" rel="noopener">
          Sign this petition<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      ) : (
        <p>
          This petition is closed.{' '}
          <a href={`${baseUrl}${petition.path}?utm_source=embed`} target="_blank" rel="noopener">
            See the petition<span class="visually-hidden"> (opens in a new tab)</span>
          </a>
        </p>
      )}
    </EmbedLayout>
  );
}

/** A small SVG badge with the count, for an <img> on another site. */
export function counterSvg(petition: Petition, brandColour: string): string {
  const count = `${formatNumber(petition.signatureCount)} ${petition.signatureCount === 1 ? 'signature' : 'signatures'}`;
  const label = 'Petition';
  const labelWidth = 70;
  const countWidth = Math.max(90, count.length * 8 + 20);
  const width = labelWidth + countWidth;
  const colour = /^#[0-9a-fA-F]{6}$/.test(brandColour) ? brandColour : '#005eb8';
  return renderToString(
    <svg xmlns="http://www.w3.org/2000/svg" width={width} height={28} viewBox={`0 0 ${width} 28`} role="img" aria-label={`${petition.action}: ${count}`}>
      <title>{`${petition.action}: ${count}`}</title>
      <rect width={labelWidth} height={28} fill="#0b0c0c" />
      <rect x={labelWidth} width={countWidth} height={28} fill={colour} />
      <g fill="#ffffff" font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif" font-size="14" font-weight="700">
        <text x={labelWidth / 2} y={19} text-anchor="middle">
          {label}
        </text>
        <text x={labelWidth + countWidth / 2} y={19} text-anchor="middle">
          {count}
        </text>
      </g>
    </svg>,
  ).replace(/^/, '<?xml version="1.0" encoding="UTF-8"?>\n');
}
