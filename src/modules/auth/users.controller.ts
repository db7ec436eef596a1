import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page, PageQueryDto } from '../../common/pagination/page';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

const ADMIN_ONLY = { roles: ['ADMIN' as const] };

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Access(ADMIN_ONLY)
  @ApiOperation({ summary: 'Create a user (EMPLOYEE needs employeeId, HR_OPERATOR needs unitId)' })
  @ApiBody({
    type: CreateUserDto,
    examples: {
      admin: { summary: 'An admin (no ids needed)', value: { username: 'admin.bkpsdm', password: 'ganti-sandi-ini-segera', role: 'ADMIN' } },
      hrOperator: {
        summary: 'An HR operator of a unit subtree: replace unitId with the id of one of your units',
        value: { username: 'operator.dishub', password: 'ganti-sandi-ini-segera', role: 'HR_OPERATOR', unitId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
      },
      employee: {
        summary: 'An employee: replace employeeId with the id of one of your employees',
        value: { username: 'made.wirawan', password: 'ganti-sandi-ini-segera', role: 'EMPLOYEE', employeeId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      },
    },
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'Username taken, or the employee already has a user', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many passwords are being hashed at this moment (`sign-in-busy`); retry after Retry-After', type: ProblemResponse })
  async createUser(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.create(actor, dto));
  }

  @Get()
  @Access(ADMIN_ONLY)
  @ApiOperation({ summary: 'List users' })
  @ApiPage(UserDto)
  async listUsers(@Query() q: PageQueryDto): Promise<Page<UserDto>> {
    return mapPage(await this.users.list(q), (x) => UserDto.of(x));
  }

  @Get(':id')
  @Access(ADMIN_ONLY)
  @ApiOperation({ summary: 'Read a user' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ProblemResponse })
  async getUser(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return UserDto.of(await this.users.get(id));
  }

  @Patch(':id')
  @Access(ADMIN_ONLY)
  @ApiOperation({ summary: 'Change a password, deactivate a user, or move an HR operator to another subtree' })
  @ApiBody({
    type: UpdateUserDto,
    examples: {
      password: { summary: 'Set a new password', value: { password: 'sandi-baru-yang-panjang' } },
      deactivate: { summary: 'Block login and invalidate existing tokens', value: { active: false } },
    },
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiConflictResponse({ description: 'An admin cannot deactivate their own user (`cannot-deactivate-self`)', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many passwords are being hashed at this moment (`sign-in-busy`); retry after Retry-After', type: ProblemResponse })
  async updateUser(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return UserDto.of(await this.users.update(actor, id, dto));
  }
}
