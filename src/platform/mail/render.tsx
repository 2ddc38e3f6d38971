import { renderFragment } from '../web/render.tsx';
import type { Brand } from '../web/context.ts';

/** The parts of an email, rendered both as plain text and as HTML in the brand. */
export type EmailBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'button'; href: string; label: string }
  | { type: 'link'; href: string; label: string }
  | { type: 'small'; text: string }
  /** Pre-rendered content (mailings): trusted HTML from our own renderer plus its text. */
  | { type: 'rendered'; html: string; text: string };

export interface EmailContent {
  subject: string;
  heading?: string;
  blocks: EmailBlock[];
  /** Lines at the foot of the message (why you got this, how to unsubscribe). */
  footer?: string[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function textOf(block: EmailBlock): string {
  switch (block.type) {
    case 'paragraph':
    case 'small':
      return block.text;
    case 'button':
    case 'link':
      return `${block.label}:\n${block.href}`;
    case 'rendered':
      return block.text;
  }
}

function EmailBody({ brand, content, baseUrl }: { brand: Brand; content: EmailContent; baseUrl: string }) {
  const primary = safeColour(brand.primaryColour, '#005ea5');
  const primaryText = safeColour(brand.primaryTextColour, '#ffffff');
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{content.subject}</title>
      </head>
      <body style="margin:0;padding:0;background:#f3f2f1;font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;">
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="background:#f3f2f1;">
          <tr>
            <td align="center" style="padding:16px;">
              <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="max-width:600px;background:#ffffff;">
                <tr>
                  <td style={`background:${primary};color:${primaryText};padding:16px 24px;font-size:20px;font-weight:bold;`}>
                    {brand.logoUrl ? (
                      <img
                        src={absolute(brand.logoUrl, baseUrl)}
                        alt=""
                        width={32}
                        height={32}
                        style="vertical-align:middle;margin-right:8px;"
                      />
                    ) : null}
                    {brand.name}
                  </td>
                </tr>
                <tr>
                  <td style="padding:24px;font-size:16px;line-height:1.5;">
                    {content.heading ? <h1 style="font-size:24px;margin:0 0 16px;">{content.heading}</h1> : null}
                    {content.blocks.map((block) => {
                      switch (block.type) {
                        case 'paragraph':
                          return <p style="margin:0 0 16px;">{block.text}</p>;
                        case 'small':
                          return <p style="margin:0 0 16px;font-size:14px;color:#505a5f;">{block.text}</p>;
                        case 'link':
                          return (
                            <p style="margin:0 0 16px;">
                              <a href={block.href} style={`color:${primary};`}>
                                {block.label}
                              </a>
                            </p>
                          );
                        case 'button':
                          return (
                            <p style="margin:24px 0;">
                              <a
                                href={block.href}
                                style={`background:${primary};color:${primaryText};padding:12px 20px;text-decoration:none;font-weight:bold;display:inline-block;`}
                              >
                                {block.label}
                              </a>
                            </p>
                          );
                        case 'rendered':
                          return <div dangerouslySetInnerHTML={{ __html: block.html }} />;
                      }
                    })}
                  </td>
                </tr>
                {content.footer && content.footer.length > 0 ? (
                  <tr>
                    <td style="padding:16px 24px;border-top:1px solid #b1b4b6;font-size:13px;color:#505a5f;">
                      {content.footer.map((line) => (
                        <p style="margin:0 0 8px;">{line}</p>
                      ))}
                    </td>
                  </tr>
                ) : null}
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function safeColour(value: string, fallback: string): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback;
}

function absolute(url: string, baseUrl: string): string {
  return /^https?:\/\//.test(url) ? url : `${baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** Renders an email in the coalition's brand as text and HTML from the same blocks. */
export function renderEmail(brand: Brand, content: EmailContent, baseUrl: string): RenderedEmail {
  const parts: string[] = [];
  if (content.heading) parts.push(content.heading, '');
  for (const block of content.blocks) parts.push(textOf(block), '');
  if (content.footer && content.footer.length > 0) parts.push('--', ...content.footer);
  const text = `${parts.join('\n').trim()}\n\n${brand.name}\n`;
  const html = '<!doctype html>' + renderFragment(<EmailBody brand={brand} content={content} baseUrl={baseUrl} />);
  return { subject: content.subject, text, html };
}
