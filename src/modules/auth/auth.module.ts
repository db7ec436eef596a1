import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmployeesModule } from '../employees/employees.module';
import { UnitsModule } from '../units/units.module';
import { AccessGuard } from './access.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JWT_ISSUER, JwtStrategy } from './jwt.strategy';
import { createLoginLimiter, LoginLimiter } from './login-limiter';
import { PrincipalCache } from './principal-cache';
import { createThrottlerStorage } from './throttler-storage';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    EmployeesModule,
    UnitsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        secret: c.auth.jwtSecret,
        signOptions: { expiresIn: c.auth.jwtExpiresIn, issuer: JWT_ISSUER, algorithm: 'HS256' },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      // The endpoints without login (PublicThrottlerGuard). With REDIS_URL all API processes share the counts. The
      // storage becomes the ThrottlerStorage provider, so Nest calls its onApplicationShutdown, which closes the Redis connection.
      useFactory: async (c: AppConfig) => ({
        throttlers: [{ name: 'public', ttl: 60_000, limit: c.auth.publicThrottleLimit }],
        storage: await createThrottlerStorage(c.redis.url),
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    UsersService,
    UsersRepository,
    ApiKeysService,
    ApiKeysRepository,
    PrincipalCache,
    AuthService,
    JwtStrategy,
    { provide: LoginLimiter, inject: [APP_CONFIG], useFactory: createLoginLimiter },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService],
})
export class AuthModule {}
