import { Logger as NestLogger } from '@nestjs/common';
import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * Sends TypeORM's messages through Nest's logger (pino in the app) instead of the console. Failed queries
 * are warnings: most are constraint races the services turn into 409s.
 */
export class TypeOrmNestLogger extends AbstractLogger {
  private readonly logger = new NestLogger('TypeORM');

  protected writeLog(level: LogLevel, logMessage: LogMessage | LogMessage[]): void {
    for (const m of Array.isArray(logMessage) ? logMessage : [logMessage]) {
      const text = String(m.message);
      const type = m.type ?? level;
      if (type === 'error' || type === 'query-error' || type === 'warn' || type === 'query-slow') this.logger.warn(text);
      else this.logger.log(text);
    }
  }
}
