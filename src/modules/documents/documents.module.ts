import { Module } from '@nestjs/common';
import { AppraisalsModule } from '../appraisals/appraisals.module';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { PdfRenderer } from './pdf-renderer';

/** The evaluation document of an appraisal (spec §10 "Documents"): Dokumen Evaluasi Kinerja Pegawai as PDF. */
@Module({
  imports: [AppraisalsModule],
  controllers: [DocumentsController],
  providers: [DocumentsRepository, DocumentsService, PdfRenderer],
})
export class DocumentsModule {}
