import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UserPrincipal } from '../../common/auth/principal';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UsersService } from './users.service';

export const JWT_ISSUER = 'capaian';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject: given a string, jsonwebtoken first tries to parse it as a public key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
      issuer: JWT_ISSUER,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** Returning null makes passport answer 401. */
  validate(payload: { sub: string; ver?: number }): Promise<UserPrincipal | null> {
    return this.users.principalOf(payload.sub, payload.ver ?? -1);
  }
}
