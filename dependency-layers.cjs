/**
 * The layers of src/, lowest first: a module may import its own files and the modules of LOWER layers only,
 * so no import runs up the layers and modules cannot form a cycle. Infrastructure (config, database, common)
 * is one layer whose folders may use each other. Checked by .dependency-cruiser.cjs (`npm run lint:deps`);
 * README "Where things live" gives each its row, and src/architecture.spec.ts keeps the two in step.
 */
const LAYERS = [
  ['scoring'],
  ['config', 'database', 'common'],
  ['feedback-index', 'webhook-outbox'],
  ['recalculation'],
  ['units'],
  ['employees'],
  ['indicators'],
  ['periods'],
  ['assessor-training'],
  ['auth'],
  ['distribution'],
  ['appraisals', 'public-feedback'],
  ['service-index', 'promotion-candidates', 'performance-dialogue', 'retention', 'health', 'exports', 'documents', 'webhooks'],
  ['metrics'],
];
const INFRASTRUCTURE = new Set(['config', 'database', 'common']);

module.exports = { LAYERS, INFRASTRUCTURE };
