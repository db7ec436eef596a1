import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DocDefinition } from './evaluation-document';

/**
 * Runs in the threads of PdfRenderer's pool (pdf-renderer.ts), never on the event loop: pdfmake lays a document out
 * synchronously for tens of milliseconds. Imports nothing of the application, so a thread starts fast.
 */

type Footer = (currentPage: number, pageCount: number) => DocDefinition['pageFooter'];

/** The part of pdfmake 0.3's server API used here (the package ships no types). */
interface PdfMake {
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: Omit<DocDefinition, 'pageFooter'> & { footer: Footer }): { getBuffer(): Promise<Buffer> };
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfmake = require('pdfmake') as PdfMake;

/** Roboto as shipped inside the pdfmake package, read from disk once into pdfmake's in-memory files: never fetched. */
const FONT_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const FONT_FILES = { normal: 'Roboto-Regular.ttf', bold: 'Roboto-Medium.ttf', italics: 'Roboto-Italic.ttf', bolditalics: 'Roboto-MediumItalic.ttf' };
for (const file of Object.values(FONT_FILES)) pdfmake.virtualfs.writeFileSync(file, readFileSync(join(FONT_DIR, file)));
pdfmake.setFonts({ Roboto: FONT_FILES });
// The documents embed no images or remote resources: nothing outside the in-memory fonts may be read.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(() => false);

/**
 * The PDF bytes of a document definition, or why pdfmake refused it (a bug of the definition). The refusal is a value,
 * not a rejection, so that a rejected task always means the thread failed (PdfRenderer answers that with 503).
 */
export type RenderResult = { pdf: Uint8Array } | { error: string };

/** The same definition (creation date included) gives the same bytes. */
export default async function renderPdf({ pageFooter, ...doc }: DocDefinition): Promise<RenderResult> {
  const footer: Footer = (currentPage, pageCount) => ({
    ...pageFooter,
    text: pageFooter.text.replace('{currentPage}', String(currentPage)).replace('{pageCount}', String(pageCount)),
  });
  try {
    return { pdf: await pdfmake.createPdf({ ...doc, footer }).getBuffer() };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
