import type { ComponentChildren, VNode } from 'preact';
import { usePage, type NavLink } from './context.ts';
import { CsrfField } from './components.tsx';
import { BRAND_CARD } from './brand-card.ts';

/** How a page shows when its link is shared: description, canonical address and Open Graph. */
export interface ShareInfo {
  /** The page's address, from the site root ("/groups/x"); made absolute with BASE_URL. */
  path: string;
  description: string;
  /** Defaults to the page title. */
  title?: string;
  /** An uploaded image (a site path or absolute URL); without one, the brand card. */
  image?: { url: string; alt: string; type?: string | undefined; width?: number | undefined; height?: number | undefined } | undefined;
}

/**
 * Share tags for every page: og:site_name and an og:image (the page's own, else the brand card
 * with its size and type); with `share`, also the description, canonical link, title and URL.
 */
function ShareTags({ title, share }: { title: string; share: ShareInfo | undefined }) {
  const { brand, baseUrl } = usePage();
  const absolute = (url: string) => (/^https?:\/\//.test(url) ? url : `${baseUrl}${url}`);
  const own = share?.image;
  const image = own ? absolute(own.url) : `${baseUrl}${BRAND_CARD.path}?v=${brand.version}`;
  const alt = own ? own.alt : brand.name;
  const shown = share?.title ?? title;
  const facts = own ? own : BRAND_CARD;
  const tags = [
    <meta property="og:site_name" content={brand.name} />,
    <meta property="og:image" content={image} />,
    ...(facts.type ? [<meta property="og:image:type" content={facts.type} />] : []),
    ...(facts.width && facts.height
      ? [<meta property="og:image:width" content={String(facts.width)} />, <meta property="og:image:height" content={String(facts.height)} />]
      : []),
    <meta property="og:image:alt" content={alt} />,
    <meta name="twitter:card" content="summary_large_image" />,
    <meta name="twitter:image" content={image} />,
  ];
  if (!share) return tags;
  const url = absolute(share.path);
  return [
    <meta name="description" content={share.description} />,
    <link rel="canonical" href={url} />,
    <meta property="og:type" content="website" />,
    <meta property="og:title" content={shown} />,
    <meta property="og:description" content={share.description} />,
    <meta property="og:url" content={url} />,
    ...tags,
    <meta name="twitter:title" content={shown} />,
    <meta name="twitter:description" content={share.description} />,
  ];
}

export interface LayoutProps {
  /** The page's own title; the brand name is appended. */
  title: string;
  children: ComponentChildren;
  /** Extra tags for <head> (alternate links). */
  head?: VNode | VNode[];
  /** The page's description, canonical address and share image (see ShareTags). */
  share?: ShareInfo;
  /** Extra scripts (same-origin, no inline script) for progressive enhancement; app.js is always loaded. */
  scripts?: string[];
  /** Wider main column for admin tables. */
  wide?: boolean;
  /** Breadcrumb trail above the title. */
  breadcrumbs?: Array<{ href: string; label: string }>;
}

export function Layout({ title, children, head, share, scripts = [], wide = false, breadcrumbs }: LayoutProps) {
  const page = usePage();
  const { brand, viewer } = page;
  const fullTitle = title === brand.name ? brand.name : `${title} – ${brand.name}`;
  const nav = viewer ? page.adminNav : [];
  const currentPublic = currentLink(page.path, page.publicNav);
  const currentAdmin = currentLink(page.path, nav);
  // Header, organiser bar and page share one width, so a wide page is never wider than its header.
  const container = wide ? 'container container--wide' : 'container';
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={page.asset('app.css')} />
        <link rel="stylesheet" href={`/brand.css?v=${brand.version}`} />
        <link rel="icon" href={page.asset('favicon.svg')} type="image/svg+xml" />
        {page.path === '/admin' || page.path.startsWith('/admin/') ? null : <ShareTags title={title} share={share} />}
        {head}
        {[...new Set(['app.js', ...scripts])].map((src) => (
          <script src={page.asset(src)} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class={`${container} site-header__inner`}>
            <a class="site-header__brand" href="/">
              {brand.logoUrl ? <img src={brand.logoUrl} alt="" class="site-header__logo" width={40} height={40} /> : null}
              <span class="site-header__name">{brand.name}</span>
            </a>
            <nav class="site-nav" aria-label="Main">
              <ul>
                {page.publicNav.map((link) => (
                  <li>
                    <a href={link.href} aria-current={link.href === currentPublic ? 'page' : undefined}>
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        {viewer ? (
          <div class="admin-bar">
            <div class={`${container} admin-bar__inner`}>
              <nav aria-label="Organiser">
                <ul>
                  {nav.map((link) => (
                    <li>
                      <a href={link.href} aria-current={link.href === currentAdmin ? 'page' : undefined}>
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <form method="post" action="/sign-out" class="admin-bar__signout">
                <CsrfField />
                <span class="admin-bar__who">
                  {viewer.name} ({roleLabel(viewer.role)})
                </span>
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            </div>
          </div>
        ) : null}
        <div class={container}>
          {breadcrumbs && breadcrumbs.length > 0 ? (
            <nav class="breadcrumbs" aria-label="Breadcrumb">
              <ol>
                {breadcrumbs.map((crumb) => (
                  <li>
                    <a href={crumb.href}>{crumb.label}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer class="site-footer">
          <div class="container">
            <p>{brand.tagline}</p>
            <ul class="site-footer__links">
              <li>
                <a href="/privacy">Privacy</a>
              </li>
              <li>
                <a href="/accessibility">Accessibility</a>
              </li>
              {viewer ? null : (
                <li>
                  <a href="/sign-in">Organiser sign in</a>
                </li>
              )}
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The nav link for the section this page is in: the most specific match (Mail, not Dashboard, on /admin/mail/3). */
function currentLink(path: string, links: NavLink[]): string | undefined {
  return links
    .filter((link) => isCurrent(path, link.href))
    .map((link) => link.href)
    .sort((a, b) => b.length - a.length)[0];
}

export function roleLabel(role: 'admin' | 'organiser' | 'moderator'): string {
  return role === 'admin' ? 'coalition admin' : role === 'organiser' ? 'group organiser' : 'moderator';
}

export interface EmbedLayoutProps {
  /** The page's own title; the brand name is appended unless `appendBrand` is false. */
  title: string;
  appendBrand?: boolean;
  /** Keep search engines from listing the frame's page as a page of its own. */
  noindex?: boolean;
  children: ComponentChildren;
}

/** A bare page for an iframe on a group's own website: the brand's colours, no site navigation, no script. */
export function EmbedLayout({ title, appendBrand = true, noindex = false, children }: EmbedLayoutProps) {
  const page = usePage();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {noindex ? <meta name="robots" content="noindex" /> : null}
        <title>{appendBrand ? `${title} – ${page.brand.name}` : title}</title>
        <link rel="stylesheet" href={page.asset('app.css')} />
        <link rel="stylesheet" href={`/brand.css?v=${page.brand.version}`} />
      </head>
      <body class="embed">
        <main id="main" class="embed__main">
          {children}
        </main>
      </body>
    </html>
  );
}
