import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { SiasnExportQueryDto, SiasnRowDto } from './dto/siasn.dto';
import { ExportFile, ExportsService, XLSX_TYPE } from './exports.service';
import { SCORES_READ } from '../distribution/distribution.controller';

const IN_VIEW = 'Admins and API keys get the whole period; an HR operator the appraisals whose unit (the employee\'s unit when the appraisal was created) is in their subtree.';
const ATTACHMENT = { 'Content-Disposition': { required: true, description: 'attachment, with the file name', schema: { type: 'string' } } };

const file = (f: ExportFile) => new StreamableFile(f.body, { type: f.type, disposition: `attachment; filename="${f.fileName}"` });


const BUSY = {
  description:
    '`exports-busy`: this server streams EXPORT_CONCURRENCY downloads already (each holds a database connection until it ends); ' +
    'retry after the seconds of Retry-After (also the problem member `retryAfter`)',
  headers: { 'Retry-After': { required: true, description: 'Seconds to wait', schema: { type: 'integer' } } },
  type: ProblemResponse,
};
/** What both operations say about a download's life, in their descriptions. */
const STREAMED =
  'Read in one database snapshot, on a connection of its own, from a cursor as the client reads; a client that reads ' +
  'nothing for EXPORT_IDLE_TIMEOUT_MS (30 s by default) while bytes wait for it has its download cut off (the file ends ' +
  'incomplete), and so does one still running EXPORT_MAX_DURATION_MS (10 min by default) after it started, however ' +
  'steadily it is read, so a stalled or crawling download cannot keep the connection.';

@ApiTags('exports')
@Controller('periods')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get(':id/exports/siasn')
  @Access(SCORES_READ)
  @ApiOperation({
    summary: 'The SIASN performance rows of a CLOSED period (BKN), as JSON or CSV',
    description:
      'One row per FINALIZED appraisal of the period that has a predicate, in the field names of SIASN\'s performance ' +
      'endpoints (spec §10), ordered by NIP; appraisals finalised without a predicate (force-closed unassessed) are left ' +
      'out, since SIASN needs the kuadran. `hasilKinerjaNilai` and `perilakuKerjaNilai` code the result and behaviour ' +
      'ratings (1 ABOVE, 2 MEETS, 3 BELOW_EXPECTATION), `kuadranKinerjaNilai` is the stored predicate code. The penilai ' +
      'fields describe the appraisal\'s assessor as their employee record is now (rank, position, unit). MONTHLY and ' +
      'QUARTERLY periods add `bulanMulaiPenilaian`, `bulanSelesaiPenilaian`, `tahunMulaiPenilaian`, ' +
      '`tahunSelesaiPenilaian` (the periodic layout); ANNUAL periods do not. `format=json` (default) answers a plain ' +
      'array, numbers as JSON numbers and NIPs as 18-digit strings; `format=csv` answers RFC 4180 CSV in UTF-8 with a ' +
      'header row of the same names, CRLF line ends, empty fields for null. ' +
      `${STREAMED} ${IN_VIEW}`,
  })
  @ApiExtraModels(SiasnRowDto)
  @ApiOkResponse({
    description: 'The rows, as a download (`siasn-kinerja-<period code>.json` or `.csv`)',
    headers: ATTACHMENT,
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(SiasnRowDto) } } },
      'text/csv': {
        schema: { type: 'string' },
        example: 'pnsDinilaiNip,tahun,hasilKinerjaNilai,perilakuKerjaNilai,kuadranKinerjaNilai,penilaiNipNrp,penilaiNama,penilaiGolongan,penilaiGolonganId,penilaiJabatanNama,penilaiUnorNama,statusPenilai\r\n',
      },
    },
  })
  @ApiBadRequestResponse({ description: 'Invalid id, or `format` is not json or csv', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  @ApiConflictResponse({
    description:
      '`period-not-closed`: the period is not CLOSED yet; `periodStatus` names its status. `score-stale`: a FINALIZED appraisal in view waits ' +
      'for a recalculation (an accepted objection marks one); export again when its score is fresh',
    type: ProblemResponse,
  })
  @ApiServiceUnavailableResponse(BUSY)
  async exportSiasn(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: SiasnExportQueryDto,
  ): Promise<StreamableFile> {
    return file(await this.exports.siasn(actor, id, q.format));
  }

  @Get(':id/exports/results.xlsx')
  @Access(SCORES_READ)
  @ApiOperation({
    summary: 'The results workbook of a period (XLSX): every appraisal\'s scores, and the distribution of every unit',
    description:
      'Any period status. Sheet `Hasil`: one row per appraisal of the period in view, whatever its status (one without ' +
      'a score has empty score cells), ordered by NIP: nip (text), name, unitCode and unitName (the appraisal\'s unit), ' +
      'status, resultScore, behaviourScore, finalScore, resultRating, behaviourRating, predicate, predicateCode (the SIASN ' +
      'kuadran) and freshness (FRESH, or STALE while a recalculation is pending, as GET /appraisals/{id}/score says). ' +
      'Sheet `Distribusi`: one row per unit in view (every active unit, and an inactive one with appraisals of the period in ' +
      'its subtree or an organisation predicate), by code, with the distribution of its subtree exactly as GET ' +
      '/periods/{id}/distribution answers it: organisationPredicate, total, the count of each predicate, unscored, the ' +
      'share of each predicate, and the codes of the curve rules that fail. ' +
      `${STREAMED} The two sheets thus agree, however slowly the file is read. ${IN_VIEW} For an HR operator the units are those of their subtree.`,
  })
  @ApiOkResponse({
    description: 'The workbook, as a download (`hasil-kinerja-<period code>.xlsx`)',
    headers: ATTACHMENT,
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  @ApiServiceUnavailableResponse(BUSY)
  async exportResults(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return file(await this.exports.results(actor, id));
  }
}
