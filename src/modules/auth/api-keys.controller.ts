import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Access({ roles: ['ADMIN'] })
  @ApiOperation({ summary: 'Issue an API key for a machine client; the key is shown only in this answer' })
  @ApiBody({
    type: CreateApiKeyDto,
    examples: {
      default: { summary: 'An HR system that imports the organisation and records achievements', value: { name: 'SIMPEG sync', scopes: ['org:read', 'org:write', 'achievements:write'] } },
    },
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async createApiKey(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { key, secret } = await this.apiKeys.create(actor, dto);
    return { ...ApiKeyDto.of(key), key: secret };
  }

  @Get()
  @Access({ roles: ['ADMIN'] })
  @ApiOperation({ summary: 'List API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async listApiKeys(): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list()).map((k) => ApiKeyDto.of(k));
  }

  @Delete(':id')
  @Access({ roles: ['ADMIN'] })
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once. Revoking twice is harmless.' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ProblemResponse })
  async revokeApiKey(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyDto> {
    return ApiKeyDto.of(await this.apiKeys.revoke(actor, id));
  }
}
