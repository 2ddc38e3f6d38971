import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Brand {
  name: string;
  tagline: string;
  logoUrl: string | null;
  /** Main colour: header background, buttons, links. */
  primaryColour: string;
  /** Text on the main colour. */
  primaryTextColour: string;
  /** Highlights: focus ring, progress. */
  accentColour: string;
  /** Changes whenever the brand changes, for cache-busting the brand stylesheet. */
  version: string;
}

export interface Viewer {
  id: number;
  name: string;
  email: string;
  role: 'admin' | 'organiser' | 'moderator';
}

export interface NavLink {
  href: string;
  label: string;
  /** What the area is for (the organisers' dashboard shows it under the link). */
  description?: string | undefined;
}

/** What every page needs to know about the request it renders for. */
export interface PageContext {
  brand: Brand;
  viewer: Viewer | null;
  path: string;
  /** A CSRF token for forms on this page (sets the CSRF cookie on first use). */
  csrfToken(): string;
  /** URL of a static asset with its content hash, e.g. asset('app.css'). */
  asset(name: string): string;
  publicNav: NavLink[];
  adminNav: NavLink[];
  /** The site's public address (BASE_URL, no trailing slash), for canonical and share links. */
  baseUrl: string;
}

export const PageContextValue = createContext<PageContext | null>(null);

export function usePage(): PageContext {
  const value = useContext(PageContextValue);
  if (!value) throw new Error('usePage() outside a rendered page');
  return value;
}
