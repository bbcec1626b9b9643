import { Module } from '@nestjs/common';
import { CatalogueModule } from '@fairshare/catalogue';
import { WorksImportProcessor } from './works-import.processor';

@Module({ imports: [CatalogueModule], providers: [WorksImportProcessor] })
export class CatalogueWorkerModule {}
