import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NoScoreError, ValidationFailedError } from '../../common/errors/app-error';
import { fileNamePart } from '../../common/http/file-name';
import { witaDate } from '../../common/time/wita';
import { AppraisalAccessService } from '../appraisals/appraisal-access.service';
import { DocumentsRepository } from './documents.repository';
import { buildEvaluationDocument, EvaluationView } from './evaluation-document';
import { PdfRenderer } from './pdf-renderer';

/** Bump when the layout changes, so the ETags of finalised documents change with their bytes. */
const LAYOUT_VERSION = 1;

export type EvaluationDocument =
  | { notModified: true; etag: string; fileName: string }
  | { notModified: false; etag: string | null; fileName: string; pdf: Buffer };

/** A strong ETag from everything the document prints (the view) and the layout version. */
export const etagOfView = (view: EvaluationView): string =>
  `"${createHash('sha256').update(JSON.stringify([LAYOUT_VERSION, view])).digest('base64url').slice(0, 32)}"`;

/** If-None-Match as RFC 9110 §13.1.2 writes it: `*`, or entity tags (optionally weak) separated by commas; at most 1024 characters. */
export const IF_NONE_MATCH_PATTERN = /^(\*|(W\/)?"[\x21\x23-\x7E]*"([ \t]*,[ \t]*(W\/)?"[\x21\x23-\x7E]*")*)$/;
export const MAX_IF_NONE_MATCH = 1024;

/** If-None-Match holds `etag` (weak comparison, RFC 9110 §13.1.2), or `*`. */
export function noneMatchHolds(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

@Injectable()
export class DocumentsService {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly access: AppraisalAccessService,
    private readonly renderer: PdfRenderer,
  ) {}

  /**
   * The evaluation document of an appraisal, under the access of its score (404 as if it did not exist). It needs a
   * fresh score (409 otherwise). A FINALIZED appraisal's document is dated and stamped with its finalisation, so it
   * prints the same bytes every time and has an ETag; any other is dated today (WITA).
   */
  async evaluation(actor: Actor, appraisalId: string, ifNoneMatch?: string, now = new Date()): Promise<EvaluationDocument> {
    if (ifNoneMatch !== undefined && (ifNoneMatch.length > MAX_IF_NONE_MATCH || !IF_NONE_MATCH_PATTERN.test(ifNoneMatch))) {
      throw ValidationFailedError.field('If-None-Match', 'must be * or quoted entity tags separated by commas (at most 1024 characters)');
    }
    const source = await this.documents.read(appraisalId);
    await this.access.visible(actor, source?.parties ?? null, appraisalId);
    const { view, status, finalizedAt, stale } = source!;
    if (!view) throw new NoScoreError(appraisalId);
    if (stale) throw new ConflictError('score-stale', `The score of appraisal ${appraisalId} is being recalculated; ask again shortly`);
    const issuedAt = status === 'FINALIZED' && finalizedAt ? finalizedAt : now;
    const full: EvaluationView = { ...view, issuedAt: issuedAt.toISOString(), signedOn: witaDate(issuedAt) };
    const fileName = `evaluasi-kinerja-${fileNamePart(view.employee.nip)}-${fileNamePart(view.period.code)}.pdf`;
    const etag = status === 'FINALIZED' ? etagOfView(full) : null;
    if (etag && noneMatchHolds(ifNoneMatch, etag)) return { notModified: true, etag, fileName };
    return { notModified: false, etag, fileName, pdf: await this.renderer.renderPdf(buildEvaluationDocument(full)) };
  }
}
