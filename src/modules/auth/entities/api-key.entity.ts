import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';
import type { ApiScope } from '../../../common/auth/principal';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'varchar', length: 100 }) name: string;

  /** The public part of the key, used to find it; the rest is only stored as a SHA-256 hash. */
  @Index('uq_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ type: 'char', length: 64 }) keyHash: string;

  @Column({ type: 'text', array: true }) scopes: ApiScope[];

  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_api_keys_created_by' })
  creator?: UserEntity;

  /** The issuer's credential setters when the key was issued: the key answers for them for good (spec §8). */
  @Column({ type: 'uuid', array: true, default: '{}' }) issuerSetterIds: string[];

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
