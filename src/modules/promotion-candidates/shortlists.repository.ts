import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ShortlistDecisionEntity, ShortlistEntity } from './entities/shortlist.entity';

/** Frozen shortlists and the board's decisions on their candidates. */
@Injectable()
export class ShortlistsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private shortlists(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(ShortlistEntity);
  }

  private decisions(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(ShortlistDecisionEntity);
  }

  findById(id: string, m?: EntityManager): Promise<ShortlistEntity | null> {
    return this.shortlists(m).findOneBy({ id });
  }

  insert(shortlist: Pick<ShortlistEntity, 'name' | 'parameters' | 'items' | 'unitId' | 'createdBy'>, m: EntityManager): Promise<ShortlistEntity> {
    return this.shortlists(m).save(shortlist);
  }

  /** Oldest first. */
  listDecisions(shortlistId: string, m?: EntityManager): Promise<ShortlistDecisionEntity[]> {
    return this.decisions(m).find({ where: { shortlistId }, order: { decidedAt: 'ASC' } });
  }

  findDecision(shortlistId: string, employeeId: string, m: EntityManager): Promise<ShortlistDecisionEntity | null> {
    return this.decisions(m).findOneBy({ shortlistId, employeeId });
  }

  /** Inserts the decision on the candidate, or replaces the earlier one. */
  saveDecision(decision: ShortlistDecisionEntity, m: EntityManager): Promise<ShortlistDecisionEntity> {
    return this.decisions(m).save(decision);
  }
}
