import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DocDefinition } from './evaluation-document';

/** The part of pdfmake 0.3's server API used here (the package ships no types). */
interface PdfMake {
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: DocDefinition): { getBuffer(): Promise<Buffer> };
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

/** The PDF bytes of a document definition; the same definition (creation date included) gives the same bytes. */
export const renderPdf = (doc: DocDefinition): Promise<Buffer> => pdfmake.createPdf(doc).getBuffer();
