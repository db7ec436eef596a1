import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AccessGuard } from './access.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JWT_ISSUER, JwtStrategy } from './jwt.strategy';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { createThrottlerStorage } from './throttler-storage';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
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
      // With REDIS_URL all API processes share the counts. The storage becomes the ThrottlerStorage provider, so
      // Nest calls its onApplicationShutdown, which closes the Redis connection.
      useFactory: async (c: AppConfig) => ({
        // Each guard skips the other's throttler (@SkipThrottle), so a login never counts as a public request.
        throttlers: [
          { name: 'login', ttl: c.auth.loginThrottle.ttlSeconds * 1000, limit: c.auth.loginThrottle.limit },
          { name: 'public', ttl: 60_000, limit: c.auth.publicThrottleLimit },
        ],
        storage: await createThrottlerStorage(c.redis.url),
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    UsersService,
    ApiKeysService,
    AuthService,
    JwtStrategy,
    LoginThrottlerGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService],
})
export class AuthModule {}
