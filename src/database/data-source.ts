// Entry for the TypeORM CLI (migration:run, migration:generate). Reads DATABASE_URL only.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

const config = loadConfig();
if (!config.database.url) {
  throw new Error('DATABASE_URL must be set for the migration CLI');
}

export default new DataSource(dataSourceOptions(config.database.url));
