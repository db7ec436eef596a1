import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UnauthorizedError } from '../../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LoginDto, TokenDto } from './dto/login.dto';
import { UsersService } from './users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(dto: LoginDto, clientAddress: string | undefined): Promise<TokenDto> {
    const principal = await this.users.verifyCredentials(dto.username, dto.password, clientAddress);
    if (!principal) throw new UnauthorizedError('The username or password is wrong, or the user is inactive');
    const accessToken = await this.jwt.signAsync({ sub: principal.id, role: principal.role, ver: principal.tokenVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.auth.jwtExpiresIn };
  }
}
