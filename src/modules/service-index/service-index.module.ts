import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { PeriodsModule } from '../periods/periods.module';
import { UnitsModule } from '../units/units.module';
import { PublicServiceIndexController } from './public-service-index.controller';
import { ServiceIndexController } from './service-index.controller';
import { ServiceIndexRepository } from './service-index.repository';
import { ServiceIndexService } from './service-index.service';


/**
 * Service index (IKM) of a unit subtree or an employee in a period, for staff and machine clients, and the
 * anonymous transparency endpoints under /public (spec §4). Read-only; reads units, employees and periods through their repositories.
 */
@Module({
  imports: [UnitsModule, EmployeesModule, PeriodsModule],
  controllers: [ServiceIndexController, PublicServiceIndexController],
  providers: [ServiceIndexService, ServiceIndexRepository],
})
export class ServiceIndexModule {}
