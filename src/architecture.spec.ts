import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The layers the dependency rules enforce (npm run lint:deps): one list, read here and by .dependency-cruiser.cjs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAYERS } = require('../dependency-layers.cjs') as { LAYERS: string[][] };

const root = join(__dirname, '..');

/** The rows of README "Where things live": layer and module names, as written. */
function readmeRows(): { layer: number; modules: string[] }[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = /<!-- where-things-live:start -->\n([\s\S]*?)\n<!-- where-things-live:end -->/.exec(readme)?.[1];
  if (!table) throw new Error('README.md has no where-things-live table');
  return table
    .split('\n')
    .slice(2) // header and separator
    .map((line) => {
      const [layer, modules] = line.split('|').slice(1, 3);
      return { layer: Number(layer.trim()), modules: [...modules.matchAll(/`([^`]+)`/g)].map((m) => m[1]) };
    });
}

/** Every file under `dir` whose name ends with `suffix`. */
function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesEndingWith(join(dir, d.name), suffix) : d.name.endsWith(suffix) ? [join(dir, d.name)] : [],
  );
}

describe('the house map', () => {
  it('README "Where things live" gives every module the layer the dependency rules use, in order', () => {
    const fromReadme = readmeRows().flatMap((r) => r.modules.map((m) => `${r.layer} ${m}`));
    const fromRules = LAYERS.flatMap((layer, i) => layer.map((m) => `${i} ${m}`));
    expect(fromReadme.sort()).toEqual(fromRules.sort());
  });

  it('every folder of src/modules has a layer', () => {
    const folders = readdirSync(join(root, 'src', 'modules'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !LAYERS.flat().includes(f))).toEqual([]);
  });

  // Services orchestrate: the SQL of a module is in its repositories (and the recalculation's markFor… functions).
  it('no service holds SQL or reaches a table itself', () => {
    const services = filesEndingWith(join(root, 'src'), '.service.ts');
    expect(services.length).toBeGreaterThan(20);
    const offending = services.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file: file.slice(root.length + 1), line: i + 1, text: line.trim() }))
        .filter(({ text }) => /\.query\s*[<(]|getRepository\s*\(|createQueryBuilder\s*\(/.test(text)),
    );
    expect(offending).toEqual([]);
  });

  // test/fixtures/house breaks each rule once beside one allowed import: a rule whose pattern matches nothing fails here.
  it('every dependency rule catches its violation in the fixture tree, and nothing else', () => {
    const run = spawnSync(join(root, 'node_modules', '.bin', 'depcruise'), ['src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd: join(root, 'test', 'fixtures', 'house'),
      encoding: 'utf8',
    });
    const { summary } = JSON.parse(run.stdout) as { summary: { violations: { rule: { name: string }; from: string }[] } };
    expect(summary.violations.map((v) => `${v.rule.name} ${v.from}`).sort()).toEqual([
      'every-folder-has-a-layer src/modules/newthing/unplaced.ts',
      'import-plans-are-pure src/modules/periods/period-import-plan.ts',
      'import-plans-are-pure src/modules/units/unit-import-plan.ts',
      'no-circular src/modules/periods/cycle-a.ts',
      'no-sideways:appraisals src/modules/appraisals/sideways.ts',
      'no-upward:config+database+common src/common/upward.ts',
      'no-upward:units src/modules/units/upward.ts',
      'not-from-app src/modules/periods/entry.ts',
      'scoring-is-pure src/modules/scoring/impure.ts',
    ]);
  });
});
