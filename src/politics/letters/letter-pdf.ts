export interface PrintableLetter {
  writerName: string;
  writerAddress: string;
  writerPostcode: string;
  mpName: string;
  /** UK date as people write it: "11 January 2027". */
  date: string;
  body: string;
}

/** The House of Commons address every MP's post reaches. */
export const COMMONS_ADDRESS = ['House of Commons', 'London', 'SW1A 0AA'];

/** pdfkit's standard fonts cover Windows-1252: other characters become their nearest plain form, or '?'. */
function printable(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[^\n\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/gu, (c) => c.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\u0020-\u007e]/g, '') || '?');
}

/**
 * The letter as a printable A4 page for post: the writer's address top right, the MP's at the
 * House of Commons on the left, the date, then the letter and the writer's name.
 */
export async function letterPdf(letter: PrintableLetter): Promise<Buffer> {
  // Loaded when a letter is printed, not at every process's start (the CLI, the worker).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margins: { top: 64, bottom: 64, left: 72, right: 72 }, info: { Title: `Letter to ${printable(letter.mpName)} MP`, Author: printable(letter.writerName) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 144;
  doc.font('Helvetica').fontSize(11);
  doc.text([letter.writerName, ...letter.writerAddress.split('\n'), letter.writerPostcode].map(printable).join('\n'), { align: 'right', width });
  doc.moveDown(2);
  doc.text([`${letter.mpName} MP`, ...COMMONS_ADDRESS].map(printable).join('\n'), { width });
  doc.moveDown(1.5);
  doc.text(letter.date, { width });
  doc.moveDown(1.5);
  doc.text(printable(letter.body), { width, align: 'left', lineGap: 2, paragraphGap: 6 });
  doc.end();
  return done;
}
