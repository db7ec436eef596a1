import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page, PageQueryDto } from '../../common/pagination/page';
import { DialoguesService } from './dialogues.service';
import { CreateDialogueDto, CreateFeedbackNoteDto, DialogueDto, DialogueGapDto, DialogueGapsQueryDto, FeedbackNoteDto } from './dto/dialogue.dto';

const READ = { roles: [...ROLES], scope: 'appraisals:read' as const };
const WRITE = { roles: [...ROLES], scope: 'assessments:write' as const };
const NOT_VISIBLE = { description: 'No such appraisal, or it is not visible to the caller', type: ProblemResponse };
const PERIOD_NOT_OPEN = '`period-not-open` (the period is not OPEN or EVALUATION)';
const NEVER_PUBLIC = 'Never public; it follows the access rules of the appraisal (spec §8, §11).';

@ApiTags('performance-dialogue')
@Controller('appraisals')
export class DialoguesController {
  constructor(private readonly dialogues: DialoguesService) {}

  @Get(':id/dialogues')
  @Access(READ)
  @ApiOperation({
    summary: 'List the performance dialogues of an appraisal',
    description: `Everyone who sees the appraisal may read them, oldest heldOn first. ${NEVER_PUBLIC}`,
  })
  @ApiPage(DialogueDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_VISIBLE)
  async listDialogues(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<Page<DialogueDto>> {
    return mapPage(await this.dialogues.listDialogues(actor, id, q), (d) => DialogueDto.of(d));
  }

  @Post(':id/dialogues')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Record a performance dialogue (dialog kinerja)',
    description:
      'By the assessor or an admin (`requestedBy` ASSESSOR), or by the appraised employee, a user linked to them or a key ' +
      'they issued (`requestedBy` EMPLOYEE), while the period is OPEN or EVALUATION. `heldOn` lies inside the period and ' +
      'not after today (WITA); an agreed action is not due before it. The other party acknowledges it; only acknowledged ' +
      'dialogues count towards the policy `minDialogues`. Changes no score. Audited as dialogue.record. ' +
      NEVER_PUBLIC,
  })
  @ApiBody({
    type: CreateDialogueDto,
    examples: {
      default: {
        value: {
          heldOn: '2026-11-20',
          topics: ['Capaian izin trayek bulan November', 'Hambatan verifikasi lapangan'],
          notes: 'Realisasi di atas target; verifikasi lapangan perlu dipercepat.',
          agreedActions: [{ action: 'Menyusun SOP verifikasi izin trayek', dueOn: '2026-12-15' }],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: DialogueDto })
  @ApiBadRequestResponse({ description: 'Invalid fields; `heldOn` outside the period or after today; an action due before heldOn', type: ProblemResponse })
  @ApiForbiddenResponse({
    description:
      '`not-your-part` (only the appraised employee, the assessor or an admin may); `own-appraisal` (the caller\'s password was set by ' +
      'someone linked to the appraised employee, so the caller may not speak for the assessor\'s side)',
    type: ProblemResponse,
  })
  @ApiNotFoundResponse(NOT_VISIBLE)
  @ApiConflictResponse({ description: PERIOD_NOT_OPEN, type: ProblemResponse })
  async recordDialogue(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateDialogueDto): Promise<DialogueDto> {
    return DialogueDto.of(await this.dialogues.recordDialogue(actor, id, dto));
  }

  @Post(':id/dialogues/:dialogueId/acknowledge')
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({
    summary: 'Acknowledge a performance dialogue (the other party)',
    description:
      'A dialogue the assessor\'s side recorded is acknowledged by the appraised employee; one the employee recorded, by ' +
      'the assessor or an admin. Whoever recorded it (or the user who issued the recording key) cannot (`four-eyes`). ' +
      'While the period is OPEN or EVALUATION. Audited as dialogue.acknowledge.',
  })
  @ApiOkResponse({ type: DialogueDto })
  @ApiForbiddenResponse({
    description:
      '`four-eyes` (the caller recorded it); `not-your-part` (the caller is not the other party); `own-appraisal` (the caller\'s ' +
      'password was set by someone linked to the appraised employee, so the caller may not speak for the assessor\'s side)',
    type: ProblemResponse,
  })
  @ApiNotFoundResponse({ description: 'No such appraisal or dialogue of it, or the appraisal is not visible to the caller', type: ProblemResponse })
  @ApiConflictResponse({ description: `\`dialogue-acknowledged\` (already); ${PERIOD_NOT_OPEN}`, type: ProblemResponse })
  async acknowledgeDialogue(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('dialogueId', ParseUUIDPipe) dialogueId: string,
  ): Promise<DialogueDto> {
    return DialogueDto.of(await this.dialogues.acknowledge(actor, id, dialogueId));
  }

  @Get(':id/feedback-notes')
  @Access(READ)
  @ApiOperation({
    summary: 'Read the continuous feedback notes of an appraisal',
    description: `The appraised employee reads the notes written to them; everyone else who sees the appraisal may too. Oldest first. ${NEVER_PUBLIC}`,
  })
  @ApiPage(FeedbackNoteDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_VISIBLE)
  async listFeedbackNotes(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<FeedbackNoteDto>> {
    return mapPage(await this.dialogues.listNotes(actor, id, q), (n) => FeedbackNoteDto.of(n));
  }

  @Post(':id/feedback-notes')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Write a continuous feedback note (umpan balik berkelanjutan) to the appraised employee',
    description:
      'By the assessor, the reviewer or an admin, never on their own appraisal, while the period is OPEN or EVALUATION. ' +
      `A note never changes a score. Audited as feedback-note.write. ${NEVER_PUBLIC}`,
  })
  @ApiBody({ type: CreateFeedbackNoteDto, examples: { default: { value: { kind: 'GUIDANCE', note: 'Lampirkan foto lapangan pada setiap bukti dukung verifikasi.' } } } })
  @ApiCreatedResponse({ type: FeedbackNoteDto })
  @ApiBadRequestResponse({ description: 'Invalid fields', type: ProblemResponse })
  @ApiForbiddenResponse({
    description: '`not-your-part` (only the assessor, the reviewer or an admin may); `own-appraisal` (the caller is linked to the appraised employee)',
    type: ProblemResponse,
  })
  @ApiNotFoundResponse(NOT_VISIBLE)
  @ApiConflictResponse({ description: PERIOD_NOT_OPEN, type: ProblemResponse })
  async writeFeedbackNote(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateFeedbackNoteDto,
  ): Promise<FeedbackNoteDto> {
    return FeedbackNoteDto.of(await this.dialogues.writeNote(actor, id, dto));
  }
}

@ApiTags('performance-dialogue')
@Controller('periods')
export class DialogueGapsController {
  constructor(private readonly dialogues: DialoguesService) {}

  @Get(':id/dialogue-gaps')
  @Access({ roles: ['ADMIN', 'HR_OPERATOR'], scope: 'appraisals:read' })
  @ApiOperation({
    summary: 'Appraisals with fewer acknowledged performance dialogues than the policy minDialogues',
    description:
      'Every appraisal of the period the caller sees (HR operators: their subtree), narrowed by `withinUnitId` and ' +
      '`assessorId`, whose acknowledged dialogues number fewer than the period policy `minDialogues` (none when it is 0), ' +
      'with its current assessor. By employee name, then NIP (spec §11).',
  })
  @ApiPage(DialogueGapDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters, or no visible unit has withinUnitId', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  async getDialogueGaps(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DialogueGapsQueryDto,
  ): Promise<Page<DialogueGapDto>> {
    return this.dialogues.gaps(actor, id, q);
  }
}
