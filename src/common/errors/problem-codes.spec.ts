import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECORATORS } from '@nestjs/swagger';
import * as ts from 'typescript';
import { ProblemResponse } from '../http/problem.dto';
import { CODE_OF_STATUS } from '../http/problem.filter';
import { STATUS_OF_KIND } from '../http/problem';
import { PROBLEM_CODES, problemCodeTable } from './problem-codes';

const SRC = join(__dirname, '..', '..');

/** How a class fills AppError's code and status: from its own constructor arguments or fixed in its super call. */
interface ErrorClass {
  codeArg?: number;
  code?: string;
  defaultCode?: string;
  kindArg?: number;
  status?: number;
}

interface Raised {
  code: string;
  status: number | undefined;
  where: string;
}

const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  .map((f) => ts.createSourceFile(f, readFileSync(join(SRC, f), 'utf8'), ts.ScriptTarget.Latest, true));

function nodesOf<T extends ts.Node>(is: (n: ts.Node) => n is T): T[] {
  const found: T[] = [];
  const visit = (n: ts.Node): void => {
    if (is(n)) found.push(n);
    ts.forEachChild(n, visit);
  };
  sources.forEach(visit);
  return found;
}

const where = (n: ts.Node) => {
  const sf = n.getSourceFile();
  return `${sf.fileName}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
};

/** The string literals an expression can evaluate to (a literal or a conditional of literals); null when unknown. */
function literals(e: ts.Expression | undefined): string[] | null {
  if (!e) return null;
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isParenthesizedExpression(e)) return literals(e.expression);
  if (ts.isConditionalExpression(e)) {
    const [a, b] = [literals(e.whenTrue), literals(e.whenFalse)];
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

/** Every AppError subclass in src, derived from its super call, and the codes the super calls fix. */
function errorClasses(raised: Raised[], unknown: string[]): Map<string, ErrorClass> {
  const classes = new Map<string, ErrorClass>([['AppError', { codeArg: 1, kindArg: 0 }]]);
  const decls = nodesOf(ts.isClassDeclaration).filter((c) => c.name && c.heritageClauses?.length);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of decls) {
      const parent = classes.get(c.heritageClauses![0].types[0].expression.getText());
      if (!parent || classes.has(c.name!.text)) continue;
      const ctor = c.members.find(ts.isConstructorDeclaration);
      const params = ctor?.parameters.map((p) => p.name.getText()) ?? [];
      const superCall = ctor?.body?.statements
        .map((s) => (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) ? s.expression : undefined))
        .find((call) => call?.expression.kind === ts.SyntaxKind.SuperKeyword);
      const args = superCall?.arguments ?? [];
      const own: ErrorClass = {};
      if (parent.codeArg === undefined) Object.assign(own, { code: parent.code });
      else {
        const arg = args[parent.codeArg];
        const index = arg && ts.isIdentifier(arg) ? params.indexOf(arg.text) : -1;
        if (index >= 0) {
          own.codeArg = index;
          own.defaultCode = literals(ctor!.parameters[index].initializer)?.[0];
        } else own.code = literals(arg)?.[0] ?? (arg ? undefined : parent.defaultCode);
      }
      if (parent.status !== undefined) own.status = parent.status;
      else {
        const arg = args[parent.kindArg!];
        const index = arg && ts.isIdentifier(arg) ? params.indexOf(arg.text) : -1;
        if (index >= 0) own.kindArg = index;
        else own.status = STATUS_OF_KIND[literals(arg)?.[0] as keyof typeof STATUS_OF_KIND];
      }
      if (own.codeArg === undefined && own.code === undefined) unknown.push(`${where(c)} ${c.name!.text}`);
      if (own.code !== undefined) raised.push({ code: own.code, status: own.status, where: where(c) });
      classes.set(c.name!.text, own);
      grew = true;
    }
  }
  return classes;
}

/**
 * The extension members of the problems raised in src: the keys of the object literals passed to an error's
 * constructor or to AppError's super call; `unknown` lists objects passed as anything but a literal.
 */
function raisedMembers(): { members: Map<string, string>; unknown: string[] } {
  const classes = errorClasses([], []);
  const members = new Map<string, string>();
  const unknown: string[] = [];
  const ctors = nodesOf(ts.isClassDeclaration)
    .filter((c) => c.name && classes.has(c.name.text))
    .map((c) => [c.name!.text, c.members.find(ts.isConstructorDeclaration)] as const);
  // Where each class takes its `extra` members: those passed along are checked at the callers.
  const extraArg = new Map(ctors.map(([name, ctor]) => [name, ctor?.parameters.findIndex((p) => p.name.getText() === 'extra') ?? -1]));
  const superCalls = ctors
    .flatMap(([, ctor]) => ctor?.body?.statements ?? [])
    .map((s) => (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) ? s.expression : undefined))
    .filter((call): call is ts.CallExpression => call?.expression.kind === ts.SyntaxKind.SuperKeyword);
  const news = nodesOf(ts.isNewExpression).filter((n) => classes.has(n.expression.getText()));
  for (const call of [...news, ...superCalls]) {
    const index = ts.isNewExpression(call) ? (extraArg.get(call.expression.getText()) ?? -1) : -1;
    for (const [i, arg] of (call.arguments ?? []).entries()) {
      if (ts.isObjectLiteralExpression(arg)) {
        for (const p of arg.properties) {
          if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) members.set(p.name.text, where(call));
          else unknown.push(`${where(call)} ${p.getText()}`);
        }
      } else if (i === index) unknown.push(`${where(call)} ${arg.getText()}`);
    }
  }
  return { members, unknown };
}

/** Every code an error raised in src carries, with the status it answers; `unknown` lists codes that are not literals. */
function raisedCodes(): { raised: Raised[]; unknown: string[] } {
  const raised: Raised[] = [];
  const unknown: string[] = [];
  const classes = errorClasses(raised, unknown);
  for (const n of nodesOf(ts.isNewExpression)) {
    const cls = classes.get(n.expression.getText());
    if (cls?.codeArg === undefined) continue;
    const arg = n.arguments?.[cls.codeArg];
    const codes = arg ? literals(arg) : cls.defaultCode !== undefined ? [cls.defaultCode] : null;
    const kind = cls.kindArg === undefined ? undefined : literals(n.arguments?.[cls.kindArg])?.[0];
    const status = cls.status ?? STATUS_OF_KIND[kind as keyof typeof STATUS_OF_KIND];
    if (!codes || status === undefined) unknown.push(`${where(n)} ${n.getText().slice(0, 80)}`);
    for (const code of codes ?? []) raised.push({ code, status, where: where(n) });
  }
  return { raised, unknown };
}

describe('problem codes', () => {
  const { raised, unknown } = raisedCodes();

  it('finds the codes of the errors the source raises, as literals', () => {
    expect(unknown).toEqual([]);
    // The scan itself works: the generic, the fixed and the passed codes are all found.
    expect(raised.map((r) => r.code)).toEqual(expect.arrayContaining(['not-found', 'import-rejected', 'own-appraisal', 'weights-not-100', 'not-ready']));
  });

  it('has a row with the right status for every code an error in src carries', () => {
    const wrong = raised
      .filter((r) => PROBLEM_CODES[r.code as keyof typeof PROBLEM_CODES]?.status !== r.status)
      .map((r) => `${r.where}: ${r.code} answers ${r.status}, table says ${PROBLEM_CODES[r.code as keyof typeof PROBLEM_CODES]?.status ?? 'nothing'}`);
    expect(wrong).toEqual([]);
  });

  it('has a row with the right status for the codes of errors that are not AppErrors', () => {
    for (const [status, code] of Object.entries(CODE_OF_STATUS)) expect({ code, status: PROBLEM_CODES[code].status }).toEqual({ code, status: Number(status) });
  });

  it('has no row for a code the source never mentions', () => {
    const mentioned = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteralLike(n)) mentioned.add(n.text);
      ts.forEachChild(n, visit);
    };
    sources.filter((sf) => !sf.fileName.endsWith('problem-codes.ts')).forEach(visit);
    expect(Object.keys(PROBLEM_CODES).filter((code) => !mentioned.has(code))).toEqual([]);
  });

  it('declares every extension member a problem carries in ProblemResponse, none of them a standard member', () => {
    const { members, unknown } = raisedMembers();
    expect(unknown).toEqual([]);
    // The scan itself works: members of ConflictError, AppError and a subclass's super call are all found.
    expect([...members.keys()]).toEqual(expect.arrayContaining(['field', 'checks', 'retryAfter', 'rowErrors']));
    const declared = ((Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, ProblemResponse.prototype) ?? []) as string[]).map((p) => p.slice(1));
    const standard = ['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId', 'errors'];
    const wrong = [...members].filter(([m]) => standard.includes(m) || !declared.includes(m)).map(([m, at]) => `${at}: ${m}`);
    expect(wrong).toEqual([]);
    expect(declared.filter((m) => !standard.includes(m) && !members.has(m))).toEqual([]);
  });

  it('renders one Markdown row per code, ordered by status', () => {
    const rows = problemCodeTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(PROBLEM_CODES).length);
    const statuses = rows.map((r) => Number(r.split(' | ')[1]));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    expect(rows).toContain('| `four-eyes` | 403 | Whoever submitted or corrected an achievement cannot verify or reject it; whoever recorded a performance dialogue cannot acknowledge it; whoever could have filed an objection cannot resolve it |');
  });

  it('is the table the README shows integrators', () => {
    const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
    const shown = /<!-- problem-codes:start -->\n([\s\S]*?)\n<!-- problem-codes:end -->/.exec(readme)?.[1];
    expect(shown).toBe(problemCodeTable());
  });
});
