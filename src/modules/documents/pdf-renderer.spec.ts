import { ArgumentsHost } from '@nestjs/common';
import { ProblemFilter } from '../../common/http/problem.filter';
import { BEHAVIOUR_ASPECTS } from '../scoring/types';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { buildEvaluationDocument, DocDefinition, EvaluationView } from './evaluation-document';
import { PDF_POOL_LIMITS, PdfRenderer, PdfRendererUnavailableError } from './pdf-renderer';

const person = (name: string, nip: string) => ({ name, nip, rank: 'III/a', positionTitle: `Jabatan ${name}`, unitName: 'Dinas Perhubungan' });

const VIEW: EvaluationView = {
  period: { code: '2026-Q4', type: 'QUARTERLY', startDate: '2026-10-01', endDate: '2026-12-31' },
  employee: person('Ni Luh Ayu', '199001012015022001'),
  assessor: person('I Made Wirawan', '198001012005011002'),
  reviewer: null,
  organisation: null,
  targets: Array.from({ length: 12 }, (_, i) => ({
    indicatorCode: `IKI-${i}`,
    indicatorName: `Indikator ${i}`,
    unitOfMeasure: 'dokumen',
    target: 10 + i,
    realisation: 9 + i,
    capaian: 90,
  })),
  resultRating: 'MEETS_EXPECTATION',
  resultRatingSource: 'COMPUTED',
  aspects: BEHAVIOUR_ASPECTS.map((aspect) => ({ aspect, rating: 'MEETS_EXPECTATION' })),
  behaviourRating: 'MEETS_EXPECTATION',
  predicate: 'BAIK',
  issuedAt: '2026-11-29T17:30:00.000Z',
  signedOn: '2026-11-30',
};

/** The gaps between the ticks of a 5 ms interval while `work` runs (the last one up to the tick after it). */
async function loopGaps(work: () => Promise<unknown>): Promise<number[]> {
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 5);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    clearInterval(timer);
  }
  return gaps;
}

describe('PdfRenderer (worker threads)', () => {
  const renderer = new PdfRenderer();
  afterAll(() => renderer.onApplicationShutdown());

  it('takes a document definition of plain data (it is cloned to the rendering thread)', () => {
    const doc = buildEvaluationDocument(VIEW);
    expect(structuredClone(doc)).toEqual(doc);
  });

  it('renders a PDF in a thread, the same bytes for the same definition', async () => {
    const a = await renderer.renderPdf(buildEvaluationDocument(VIEW));
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    const b = await renderer.renderPdf(buildEvaluationDocument(VIEW));
    expect(b.equals(a)).toBe(true);
    expect((await renderer.renderPdf(buildEvaluationDocument({ ...VIEW, predicate: 'SANGAT_BAIK' }))).equals(a)).toBe(false);
  });

  it('keeps the event loop responsive while documents render', async () => {
    await renderer.renderPdf(buildEvaluationDocument(VIEW)); // a started thread: the measure is of rendering only
    const n = 4 * PDF_POOL_LIMITS.maxThreads + 4;
    let pdfs: Buffer[] = [];
    const gaps = await loopGaps(async () => {
      pdfs = await Promise.all(Array.from({ length: n }, () => renderer.renderPdf(buildEvaluationDocument(VIEW))));
    });
    expect(pdfs).toHaveLength(n);
    // On the loop the renders (tens of milliseconds each) would run back to back between two ticks, or each be one long
    // gap. A busy shared machine delays some ticks whatever runs, so the bound is on the typical gap, not on every one.
    expect(gaps.length).toBeGreaterThan(2 * n);
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(15);
  });

  it('answers a render beyond the queue with 503 renderer-unavailable and Retry-After, and renders again once it drains', async () => {
    const small = new PdfRenderer({ maxThreads: 1, maxQueue: 2, idleTimeout: 1000 });
    try {
      const doc = buildEvaluationDocument(VIEW);
      const accepted = [small.renderPdf(doc), small.renderPdf(doc), small.renderPdf(doc)]; // one rendering, two waiting
      const refused = await small.renderPdf(doc).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PdfRendererUnavailableError);
      expect(refused).toMatchObject({ kind: 'unavailable', code: 'renderer-unavailable', extra: { retryAfter: 3 } });
      expect(await Promise.all(accepted)).toHaveLength(3);
      expect((await small.renderPdf(doc)).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await small.onApplicationShutdown();
    }
  });

  it('surfaces a definition pdfmake refuses as an unexpected error (a bug, 500), and renders the next one', async () => {
    const broken = { ...buildEvaluationDocument(VIEW), content: [{ table: { body: 'not rows' } }] } as unknown as DocDefinition;
    const err = await renderer.renderPdf(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PdfRendererUnavailableError);
    expect((err as Error).message).toMatch(/^pdfmake refused the document definition/);
    expect((await renderer.renderPdf(buildEvaluationDocument(VIEW))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers 503 when the rendering thread dies, and a new thread renders the next document', async () => {
    const own = new PdfRenderer({ maxThreads: 1, maxQueue: 4, idleTimeout: 1000 });
    try {
      await own.renderPdf(buildEvaluationDocument(VIEW)); // a started thread, which takes the next task at once
      const rendering = own.renderPdf(buildEvaluationDocument(VIEW));
      const { threads } = (own as unknown as { pool: { threads: { terminate(): Promise<number> }[] } }).pool;
      expect(threads).toHaveLength(1);
      await threads[0].terminate();
      await expect(rendering).rejects.toBeInstanceOf(PdfRendererUnavailableError);
      expect((await own.renderPdf(buildEvaluationDocument(VIEW))).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await own.onApplicationShutdown();
    }
  });
});

describe('DocumentsController with a busy renderer', () => {
  it('answers 503 problem+json with Retry-After', async () => {
    const error = new PdfRendererUnavailableError('busy');
    const service = { evaluation: () => Promise.reject(error) } as unknown as DocumentsService;
    const headers: Record<string, string> = {};
    const sent: { status?: number; type?: string; body?: string } = {};
    const res = {
      sent: false,
      raw: { headersSent: false },
      header(name: string, value: string) {
        headers[name] = value;
        return res;
      },
      status(code: number) {
        sent.status = code;
        return res;
      },
      type(t: string) {
        sent.type = t;
        return res;
      },
      send(body: string) {
        sent.body = body;
        return res;
      },
    };
    const caught = await new DocumentsController(service)
      .getEvaluationDocument({} as never, '00000000-0000-4000-8000-000000000000', undefined, res as never)
      .catch((e: unknown) => e);
    expect(caught).toBe(error);
    const req = { id: 'r1', url: '/appraisals/x/documents/evaluation.pdf' };
    new ProblemFilter().catch(caught, { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost);
    expect(sent.status).toBe(503);
    expect(sent.type).toBe('application/problem+json');
    expect(headers['Retry-After']).toBe('3');
    expect(JSON.parse(sent.body!)).toMatchObject({ status: 503, code: 'renderer-unavailable', retryAfter: 3 });
  });
});
