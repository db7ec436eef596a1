import { Controller, Get, Headers, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { DocumentsService, IF_NONE_MATCH_PATTERN, MAX_IF_NONE_MATCH } from './documents.service';

const ETAG = {
  description: 'Only for a FINALIZED appraisal: a strong validator of the document, for If-None-Match',
  schema: { type: 'string', example: '"k3Jx0v8m2Qh1c9WbYt5ZpA7sLd4eRu6N"' },
};
const CACHE_CONTROL = { required: true, description: 'Always `private`: the document names people', schema: { type: 'string', example: 'private' } };

@ApiTags('appraisals')
@Controller('appraisals')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id/documents/evaluation.pdf')
  @Access({ roles: [...ROLES], scope: 'scores:read' })
  @ApiOperation({
    summary: 'The performance evaluation document of an appraisal as PDF (Dokumen Evaluasi Kinerja Pegawai, spec §10)',
    description:
      'A4, in Bahasa Indonesia, after the annex of PermenPAN-RB 6/2022: the period; the appraised employee, the pejabat penilai kinerja ' +
      'and the atasan pejabat penilai kinerja (nama, NIP, pangkat/golongan, jabatan, unit kerja); the organisation predicate of the ' +
      "appraisal's unit or of its nearest ancestor with one; the targets with indicator, target, realisation and capaian; the result " +
      'rating; the seven BerAKHLAK aspects and the behaviour rating; the predicate; the signature blocks ("Denpasar, <date>"). ' +
      'The date is the finalisation date (WITA) of a FINALIZED appraisal, else today. Visible to whoever may read the score ' +
      '(`GET /appraisals/{id}/score`). The score must be fresh: a pending recalculation answers 409 `score-stale`, an appraisal ' +
      'without a score 404 `no-score` (as the score read). A FINALIZED appraisal\'s document is the same bytes on every read and carries an ETag; send it ' +
      'in If-None-Match for a 304.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of a previous read of a FINALIZED appraisal\'s document (`*` or entity tags separated by commas; anything else answers 400)',
    schema: { type: 'string', maxLength: MAX_IF_NONE_MATCH, pattern: IF_NONE_MATCH_PATTERN.source },
  })
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        required: true,
        description: 'attachment; filename="evaluasi-kinerja-<NIP>-<period code>.pdf"',
        schema: { type: 'string', example: 'attachment; filename="evaluasi-kinerja-198503302010011002-2026-Q4.pdf"' },
      },
      'Cache-Control': CACHE_CONTROL,
      ETag: ETAG,
    },
  })
  @ApiResponse({
    status: 304,
    description: 'Not modified: If-None-Match holds the ETag of the FINALIZED appraisal\'s document; no body',
    headers: { ETag: { ...ETAG, required: true }, 'Cache-Control': CACHE_CONTROL },
  })
  @ApiNotFoundResponse({ description: '`not-found`: no such appraisal, or not visible to the caller; `no-score`: it has no score yet', type: ProblemResponse })
  @ApiConflictResponse({ description: '`score-stale`: a recalculation is pending', type: ProblemResponse })
  @ApiServiceUnavailableResponse({
    description: '`renderer-unavailable`: too many documents are being rendered at this moment, or the rendering thread failed; retry after Retry-After',
    type: ProblemResponse,
    headers: { 'Retry-After': { required: true, description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 3 } } },
  })
  async getEvaluationDocument(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | undefined> {
    const doc = await this.documents.evaluation(actor, id, ifNoneMatch);
    res.header('Cache-Control', 'private');
    if (doc.etag) res.header('ETag', doc.etag);
    if (doc.notModified) {
      res.status(304);
      return undefined;
    }
    return new StreamableFile(doc.pdf, { type: 'application/pdf', disposition: `attachment; filename="${doc.fileName}"`, length: doc.pdf.length });
  }
}
