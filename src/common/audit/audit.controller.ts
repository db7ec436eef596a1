import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { ApiPage } from '../pagination/api-page.decorator';
import { Page } from '../pagination/page';
import { AuditEventDto } from './audit-event.dto';
import { AuditEventEntity } from './audit-event.entity';
import { AuditQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access({ roles: ['ADMIN'], scope: 'audit:read' })
  @ApiOperation({ summary: 'Read the append-only audit log, newest first' })
  @ApiPage(AuditEventDto)
  listAuditEvents(@Query() q: AuditQueryDto): Promise<Page<AuditEventEntity>> {
    return this.audit.list(q);
  }
}
