/** The house rules of src/, checked in CI (`npm run lint:deps`); the layers are in dependency-layers.cjs. */
const { LAYERS, INFRASTRUCTURE } = require('./dependency-layers.cjs');

const folder = (name) => (INFRASTRUCTURE.has(name) ? `^src/${name}/` : `^src/modules/${name}/`);
const anyOf = (names) => `(${names.map(folder).join('|')})`;

const upward = LAYERS.flatMap((layer, i) => {
  const higher = LAYERS.slice(i + 1).flat();
  const rules = [];
  if (higher.length) {
    rules.push({
      name: `no-upward:${layer.join('+')}`,
      comment: `${layer.join(', ')} may not import a higher layer (${higher.join(', ')})`,
      severity: 'error',
      from: { path: anyOf(layer) },
      to: { path: anyOf(higher) },
    });
  }
  if (layer.length > 1 && !layer.every((name) => INFRASTRUCTURE.has(name))) {
    for (const name of layer) {
      rules.push({
        name: `no-sideways:${name}`,
        comment: `${name} may not import the other modules of its layer (${layer.filter((n) => n !== name).join(', ')})`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: anyOf(layer.filter((n) => n !== name)) },
      });
    }
  }
  return rules;
});

module.exports = {
  forbidden: [
    {
      name: 'scoring-is-pure',
      comment: 'src/modules/scoring holds the rules of spec §3–§5 as plain functions: no Nest, no TypeORM, no I/O, nothing outside itself',
      severity: 'error',
      from: { path: '^src/modules/scoring/' },
      to: { pathNot: '^src/modules/scoring/' },
    },
    {
      name: 'import-plans-are-pure',
      comment: 'the import plans of units and employees decide, the services write: no package, service, repository or module at run time',
      severity: 'error',
      from: { path: '-import-plan\\.ts$' },
      to: { path: '(^|/)node_modules/|\\.(module|service|repository|controller)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'no file reaches itself through its imports',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-from-app',
      comment: 'the entry points (src/*.ts) are the top: no module imports them',
      severity: 'error',
      from: { path: '^src/(modules|common|config|database)/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'every-folder-has-a-layer',
      comment: 'a new module must be given its layer in LAYERS (and its row in the README map)',
      severity: 'error',
      from: { path: `^src/(?!${['modules/' + '(' + LAYERS.flat().filter((n) => !INFRASTRUCTURE.has(n)).join('|') + ')/', ...[...INFRASTRUCTURE].map((n) => n + '/')].join('|')})[^/]+/` },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
