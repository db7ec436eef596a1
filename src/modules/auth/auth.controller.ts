import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { AuthService } from './auth.service';
import { LoginDto, MeDto, TokenDto } from './dto/login.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @SkipThrottle({ public: true })
  @ApiOperation({
    summary: 'Exchange a username and password for a bearer token',
    description: 'Attempts are limited per client IP and username (LOGIN_THROTTLE_LIMIT per LOGIN_THROTTLE_TTL_SECONDS).',
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong credentials or inactive user', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After', type: ProblemResponse })
  login(@Body() dto: LoginDto): Promise<TokenDto> {
    return this.auth.login(dto);
  }

  @Get('me')
  @Access({ roles: [...ROLES], scope: 'any' })
  @ApiOperation({ summary: 'Who the presented credentials belong to' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): MeDto {
    return { ...actor.principal };
  }
}
