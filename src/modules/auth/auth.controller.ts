import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { AuthService } from './auth.service';
import { ApiKeyMeDto, LoginDto, MeDto, TokenDto, UserMeDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Exchange a username and password for a bearer token',
    description:
      'Failed attempts are limited within LOGIN_THROTTLE_TTL_SECONDS per client IP and username (LOGIN_THROTTLE_LIMIT), per ' +
      'username from all IPs (LOGIN_THROTTLE_USERNAME_LIMIT) and per client IP over all usernames (LOGIN_THROTTLE_ADDRESS_LIMIT), ' +
      'shared by every instance through Redis; beyond any of them the answer is 429 without the password being checked. ' +
      'A successful login does not count. Passwords are stored as argon2id (OWASP parameters) and older hashes are upgraded on login.',
  })
  @ApiBody({
    type: LoginDto,
    examples: { default: { summary: 'The first admin of an installation without ADMIN_PASSWORD', value: { username: 'admin', password: 'capaian-admin-dev' } } },
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong credentials or inactive user', type: ProblemResponse })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed attempts for this username or from this address (`too-many-requests`), or too many passwords being checked at once (`sign-in-busy`); see Retry-After',
    type: ProblemResponse,
  })
  login(@Body() dto: LoginDto, @Ip() clientAddress: string): Promise<TokenDto> {
    return this.auth.login(dto, clientAddress);
  }

  @Get('me')
  @Access({ roles: [...ROLES], scope: 'any' })
  @ApiOperation({ summary: 'Who the presented credentials belong to' })
  @ApiExtraModels(UserMeDto, ApiKeyMeDto)
  @ApiOkResponse({
    description: 'A signed-in user or an API key, told apart by `kind`',
    schema: {
      oneOf: [{ $ref: getSchemaPath(UserMeDto) }, { $ref: getSchemaPath(ApiKeyMeDto) }],
      discriminator: { propertyName: 'kind', mapping: { user: getSchemaPath(UserMeDto), 'api-key': getSchemaPath(ApiKeyMeDto) } },
    },
  })
  me(@CurrentActor() actor: Actor): MeDto {
    const p = actor.principal;
    // A key's issuer and an account's credential setters stay private: they only bind it in the separation of duties.
    return p.kind === 'user'
      ? { kind: p.kind, id: p.id, username: p.username, role: p.role, employeeId: p.employeeId, unitId: p.unitId }
      : { kind: p.kind, id: p.id, name: p.name, scopes: p.scopes };
  }
}
