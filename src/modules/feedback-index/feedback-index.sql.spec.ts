import { readFileSync } from 'fs';
import { join } from 'path';
import { IKM_ELEMENTS } from '../scoring/ikm';
import { answerColumn, countsInAnIndex, EMPLOYEE_INDEX_COUNTS, UNIT_INDEX_COUNTS } from './feedback-index.sql';

/** The CREATE INDEX statement of a partial index in the migration that writes it by hand. */
function partialIndex(name: string): { include: string[]; where: string } {
  const migration = readFileSync(join(__dirname, '../../../migrations/1795969887373-PublicFeedback.ts'), 'utf8');
  const match = new RegExp(`CREATE INDEX "${name}" ON "public_feedback" +\\([^)]*\\) INCLUDE \\(([^)]*)\\) WHERE (.*?)\`\\)`).exec(migration);
  if (!match) throw new Error(`no CREATE INDEX "${name}" in the migration`);
  return { include: match[1].split(', ').map((c) => c.replace(/"/g, '')), where: match[2] };
}

describe('feedback index SQL', () => {
  // The planner uses a partial index only when it can prove the query's predicate implies the index's: kept
  // textually identical, that proof is trivial, and the index stays covering for the answer sums.
  it.each([
    ['ix_public_feedback_unit_on', UNIT_INDEX_COUNTS],
    ['ix_public_feedback_employee_on', EMPLOYEE_INDEX_COUNTS],
  ])('%s: its predicate is the counted statuses, and it covers the answer columns', (name, counts) => {
    const index = partialIndex(name);
    expect(`f.${index.where}`).toBe(counts);
    expect(index.include).toEqual(IKM_ELEMENTS.map(answerColumn));
  });

  it('a change into or out of PUBLISHED or VERIFIED moves scores, of HELD or REJECTED does not', () => {
    expect(['PUBLISHED', 'VERIFIED', 'HELD', 'REJECTED'].filter(countsInAnIndex)).toEqual(['PUBLISHED', 'VERIFIED']);
  });
});
