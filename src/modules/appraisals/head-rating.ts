import { EntityManager } from 'typeorm';
import { ConflictError } from '../../common/errors/app-error';
import { policyOf } from '../scoring/policy';
import { ratingFromOrganisation } from '../scoring/ratings';
import { AppraisalsRepository } from './appraisals.repository';

/** Spec §5.4: while a unit head's result rating comes from the organisation, nobody overrides it (an override or an objection). */
export async function refuseOverrideOfHead(appraisals: AppraisalsRepository, appraisalId: string, m: EntityManager): Promise<void> {
  const { predicate, policy } = await appraisals.headRating(appraisalId, m);
  if (ratingFromOrganisation(predicate, policyOf({ policy }))) {
    throw new ConflictError(
      'rating-from-organisation',
      `The appraisee heads the appraisal's unit, whose organisation predicate ${predicate} is their result rating (policy headRatingFromOrganisation); it cannot be overridden`,
    );
  }
}
