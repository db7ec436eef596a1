import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'Username taken, or the employee already has a user', type: ProblemResponse })
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
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ProblemResponse })
  async updateUser(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return UserDto.of(await this.users.update(actor, id, dto));
  }
}
