import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { buildEvaluationDocument, EvaluationView } from '../src/modules/documents/evaluation-document';
import { PdfRenderer } from '../src/modules/documents/pdf-renderer';
import { BEHAVIOUR_ASPECTS } from '../src/modules/scoring/types';
import { argValue, positiveInt } from './generate';

/**
 * Spec §10 "Documents": rendering the evaluation PDF of one appraisal, the work GET
 * /appraisals/{id}/documents/evaluation.pdf does after its one read query. The view is built once (as the repository
 * returns it: three people, `--targets` targets, seven aspects); each run builds the document definition
 * (the pure builder) and renders it with pdfmake to bytes in the renderer's worker threads. The builder alone is the
 * baseline, timed in the same process. Then 10 documents at once, with the longest the event loop was held meanwhile:
 * the renders run off the loop, so that stays near the idle loop's figure. Options: --runs N (50), --warmup N (5),
 * --targets N (10). No database needed.
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const RUNS = positiveInt(arg('runs', 'BENCH_DOCUMENTS_RUNS'), '--runs') ?? 50;
const WARMUP = positiveInt(arg('warmup', 'BENCH_DOCUMENTS_WARMUP'), '--warmup') ?? 5;
const TARGETS = positiveInt(arg('targets', 'BENCH_DOCUMENTS_TARGETS'), '--targets') ?? 10;

const person = (name: string, nip: string, rank: string, unitName: string) => ({ name, nip, rank, positionTitle: `Jabatan ${name}`, unitName });
const VIEW: EvaluationView = {
  period: { code: '2026-ANNUAL', type: 'ANNUAL', startDate: '2026-01-01', endDate: '2026-12-31' },
  employee: person('Ni Luh Putu Ayu Sukmawati', '199001012015022001', 'III/a', 'Bidang Lalu Lintas dan Angkutan Jalan'),
  assessor: person('I Made Wirawan Putra', '198001012005011002', 'III/d', 'Bidang Lalu Lintas dan Angkutan Jalan'),
  reviewer: person('Ida Bagus Oka Wiratama', '197001011995031003', 'IV/b', 'Dinas Perhubungan'),
  organisation: { unitName: 'Dinas Perhubungan', predicate: 'BAIK' },
  targets: Array.from({ length: TARGETS }, (_, i) => ({
    indicatorCode: `IKI-DISHUB-${String(i + 1).padStart(3, '0')}`,
    indicatorName: `Persentase izin trayek yang diterbitkan tepat waktu, kegiatan ${i + 1}`,
    unitOfMeasure: 'persen',
    target: 90,
    realisation: 80 + i,
    capaian: Math.min(120, Math.round(((80 + i) / 90) * 10000) / 100),
  })),
  resultRating: 'MEETS_EXPECTATION',
  resultRatingSource: 'COMPUTED',
  aspects: BEHAVIOUR_ASPECTS.map((aspect) => ({ aspect, rating: 'MEETS_EXPECTATION' })),
  behaviourRating: 'MEETS_EXPECTATION',
  predicate: 'BAIK',
  issuedAt: '2026-12-31T02:00:00.000Z',
  signedOn: '2026-12-31',
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const fmt = (ms: number) => ms.toFixed(2);

async function time(run: () => unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const renderer = new PdfRenderer();
  let bytes = 0;
  const build = await time(() => buildEvaluationDocument(VIEW));
  const render = await time(async () => {
    bytes = (await renderer.renderPdf(buildEvaluationDocument(VIEW))).length;
  });
  console.log(`evaluation PDF, ${TARGETS} targets, ${RUNS} runs (after ${WARMUP} untimed), ${bytes} bytes`);
  for (const [name, ms] of [['builder alone', build], ['builder + render', render]] as const) {
    console.log(`${name.padEnd(18)} p50 ${fmt(quantile(ms, 0.5))} ms  p95 ${fmt(quantile(ms, 0.95))} ms  max ${fmt(ms[ms.length - 1])} ms`);
  }
  console.log(`render/builder at p50: ${(quantile(render, 0.5) / quantile(build, 0.5)).toFixed(0)}×`);

  const loopHeld = async (work: () => Promise<unknown>) => {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const start = performance.now();
    await work();
    const wall = performance.now() - start;
    h.disable();
    return { wall, maxMs: h.max / 1e6 };
  };
  const idle = await loopHeld(() => new Promise((resolve) => setTimeout(resolve, 500)));
  const burst = await loopHeld(() => Promise.all(Array.from({ length: 10 }, () => renderer.renderPdf(buildEvaluationDocument(VIEW)))));
  console.log(`10 at once: ${fmt(burst.wall)} ms; longest event-loop delay ${fmt(burst.maxMs)} ms (idle loop: ${fmt(idle.maxMs)} ms)`);
  await renderer.onApplicationShutdown();
}

void main();
