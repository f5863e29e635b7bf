// Reads the extension's sources with the TypeScript parser and finds (1) every localized message —
// the literal of each vscode.l10n.t(), t() and msg() call — and (2) every string a user may read
// that does not go through one. test/unit/l10nCompleteness.test.ts fails on (2) and on a message of
// (1) missing from a bundle; scripts/l10n/exportBundle.ts writes l10n/bundle.l10n.json from (1).
//
// What counts as "a user may read it", two ways, so that neither a helper variable nor a new kind
// of sink slips through:
// - Prose: any literal that reads like words (two words in a row, a capitalized word, "Label: ", or
//   a template with a word beside a space), wherever it is, unless it is the message of a translate
//   call, inside a log call (the "OSS" log stays English, for bug reports), a programmer's
//   TypeError/RangeError, a module name, a property name or a type.
// - Sinks: in what reaches the UI (message boxes, quick picks and input boxes, progress, tree items
//   and tooltips, status bar, errors, and object fields named label / title / tooltip / summary …),
//   any literal with a letter in it, also when it comes through a const of the same file.
// A function (or const) whose doc comment says `@l10n-log` builds text for the "OSS" log only (which
// stays English), and one that says `@l10n-keep` holds text that must read the same in every language
// (a generated profile name is an identity settings refer to): their strings are not checked, and the
// completeness test lists every such exception.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface MessageUse {
  key: string;
  file: string;
  line: number;
}

export interface Problem {
  file: string;
  line: number;
  text: string;
  why: string;
}

export interface ScanResult {
  uses: MessageUse[];
  problems: Problem[];
  /** Functions marked `@l10n-log` or `@l10n-keep` ("file:line name (log|keep)"), whose strings are not checked. */
  logOnly: string[];
}

/** The vscode-free translate module (its t, msg, translateKey), as a path below the project. */
const TRANSLATE_MODULE = 'src/vscode/presentation/translate';
const TRANSLATE_FUNCTIONS = new Set(['t', 'msg', 'translateKey', 'isTranslated']);
/** The one file that hands vscode.l10n to the translate module: it passes the messages through, whatever they are. */
const TRANSLATOR_BRIDGE = 'src/vscode/localization.ts';
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error']);
const LOG_RECEIVER = /(^|\.)(log|tlog|logger|requestLog)$/;
const PROGRAMMER_ERRORS = new Set(['TypeError', 'RangeError']);
const SINK_CALLS = new Set([
  'showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage', 'showInputBox', 'showQuickPick',
  'showOpenDialog', 'showSaveDialog', 'withProgress', 'report', 'appendMarkdown', 'appendText',
]);
const SINK_CONSTRUCTORS = new Set(['TreeItem', 'MarkdownString']);
const SINK_FIELDS = new Set([
  'label', 'description', 'detail', 'title', 'placeHolder', 'placeholder', 'prompt', 'openLabel', 'tooltip', 'message',
  'summary', 'nextStep', 'text', 'badge',
]);

/** Whether a literal's text reads like words. `{0}` stands for a template's ${…}. */
export function readsLikeWords(text: string, isTemplate: boolean): boolean {
  const s = text
    .replace(/\$\([\w~-]+\)/g, ' ') // codicons: $(check)
    .replace(/[a-z][a-z0-9+.-]*:\/\//gi, ' ') // URL schemes: oss://, https://
    .replace(/\b\w+=/g, ' ') // key=value, as in a log line
    .replace(/\{\d+\}/g, '\u0000');
  if (/\p{L}{2,}[ \t]+\p{L}{2,}/u.test(s)) return true; // two words: "Load more"
  if (/(^|[^\p{L}\p{N}_.$-])\p{Lu}\p{Ll}{2,}(?![\p{L}\p{N}_])/u.test(s)) return true; // a capitalized word: "Retry"
  if (/\p{L}{2,}:\s/u.test(s)) return true; // a label: "Size: "
  if (isTemplate && /(\p{L}{2,}\s|\s\p{L}{2,})/u.test(s)) return true; // a word beside a space: "{0} of {1}"
  return /[\u3400-\u9fff]/u.test(s); // Chinese written into the code instead of the bundle
}

/**
 * Whether a literal that reaches the UI holds text: any letter, unless it is a single token with the
 * marks of an identifier or example value (a hyphen, dot, digit, underscore, all capitals or an
 * inner capital: `cn-hangzhou`, `ossTransfer.signatureVersion`, `LTAI…`, `accessKeyId`), which reads
 * the same in every language.
 */
function holdsText(text: string): boolean {
  const s = text
    .replace(/\$\([\w~-]+\)/g, '')
    .replace(/[a-z][a-z0-9+.-]*:\/\//gi, '')
    .replace(/\{\d+\}/g, '')
    .trim();
  if (!/\p{L}/u.test(s)) return false;
  const token =
    /^[\p{L}\p{N}_.~:/…-]+$/u.test(s) &&
    (/[-._\d:/]/.test(s) || /^[\p{Lu}\p{N}…]+$/u.test(s) || /^\p{L}\p{Ll}*\p{Lu}[\p{L}\p{N}]*$/u.test(s)); // cn-hangzhou, LTAI…, accessKeyId, EcsOssRole
  return !token;
}

function literalText(node: ts.Node): { text: string; isTemplate: boolean } | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { text: node.text, isTemplate: ts.isNoSubstitutionTemplateLiteral(node) };
  if (ts.isTemplateExpression(node)) {
    return { text: node.head.text + node.templateSpans.map((s, i) => `{${i}}${s.literal.text}`).join(''), isTemplate: true };
  }
  return undefined;
}

function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

function isFunctionLike(n: ts.Node): boolean {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n);
}

/** Scans one file's text; `file` names it in the results. */
export function scanSource(file: string, text: string): ScanResult {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const uses: MessageUse[] = [];
  const problems: Problem[] = [];
  const logOnly: string[] = [];
  let logOnlyDepth = 0;
  const exemption = (n: ts.Node): string | undefined => {
    for (const r of ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? []) {
      const m = /@l10n-(log|keep)\b/.exec(sf.text.slice(r.pos, r.end));
      if (m) return m[1];
    }
    return undefined;
  };
  const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const report = (n: ts.Node, why: string): void => {
    problems.push({ file, line: lineOf(n), text: n.getText(sf).slice(0, 120), why });
  };

  // The translate functions this file imports (t, msg, translateKey), under their local names.
  const imported = new Map<string, string>();
  const consts = new Map<string, ts.Expression>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && isTranslateModule(file, st.moduleSpecifier.text)) {
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) {
          const original = (el.propertyName ?? el.name).text;
          if (TRANSLATE_FUNCTIONS.has(original)) imported.set(el.name.text, original);
        }
      }
    }
  }
  const collectConsts = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    ts.forEachChild(n, collectConsts);
  };
  collectConsts(sf);

  /** 'l10n' for vscode.l10n.t / l10n.t, 't' / 'msg' / 'translateKey' for the translate module's. */
  const translateKind = (call: ts.CallExpression): string | undefined => {
    const c = call.expression;
    if (ts.isPropertyAccessExpression(c) && c.name.text === 't') {
      const recv = c.expression;
      if ((ts.isIdentifier(recv) && recv.text === 'l10n') || (ts.isPropertyAccessExpression(recv) && recv.name.text === 'l10n')) return 'l10n';
    }
    if (ts.isIdentifier(c)) return imported.get(c.text);
    return undefined;
  };
  /** log.info(…), this.log.warn(…), or a logging callback itself: opts.log?.(…), log(…). */
  const isLogCall = (call: ts.CallExpression): boolean => {
    const c = call.expression;
    if (ts.isPropertyAccessExpression(c) && LOG_METHODS.has(c.name.text) && LOG_RECEIVER.test(c.expression.getText(sf))) return true;
    return calleeName(c) === 'log';
  };
  const isProgrammerError = (n: ts.NewExpression): boolean => ts.isIdentifier(n.expression) && PROGRAMMER_ERRORS.has(n.expression.text);

  const checkTranslateCall = (call: ts.CallExpression, kind: string): void => {
    if (kind === 'translateKey' || kind === 'isTranslated') return; // typed: only msg() makes a MessageKey
    if (file.split(path.sep).join('/') === TRANSLATOR_BRIDGE) return;
    const first = call.arguments[0];
    if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
      report(call, 'the message of a translate call must be a string literal, so the bundles can list it');
      return;
    }
    uses.push({ key: first.text, file, line: lineOf(first) });
    if (kind === 'msg') {
      if (call.arguments.length !== 1) report(call, 'msg() takes the message only');
      return;
    }
    const indices = [...first.text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
    const count = indices.length ? Math.max(...indices) + 1 : 0;
    const named = /\{[A-Za-z_]\w*\}/.test(first.text);
    if (named) report(first, 'use numbered placeholders {0}, {1}…');
    if (count !== call.arguments.length - 1 || indices.length && new Set(indices).size !== count) {
      report(call, `the message has placeholders {0}..{${count - 1}} but the call passes ${call.arguments.length - 1} argument(s)`);
    }
    // Translated while the module loads, the text would stay English: the bundle comes later.
    for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
      if (isFunctionLike(p) || (ts.isPropertyDeclaration(p) && !p.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword))) return;
    }
    report(call, 'translated while the module loads (before the bundle is there): call it inside a function');
  };

  /**
   * Literals in an expression that reaches the UI. `strict`: the literal is (part of) the value shown,
   * so any text counts; otherwise (an argument of some call, a const it names) only what reads like words.
   */
  const checkSink = (expr: ts.Node, strict: boolean, seen: ReadonlySet<string> = new Set()): void => {
    const lit = literalText(expr);
    if (lit) {
      if (strict ? holdsText(lit.text) || readsLikeWords(lit.text, lit.isTemplate) : readsLikeWords(lit.text, lit.isTemplate)) {
        report(expr, 'shown to the user without a translate call');
      }
      if (ts.isTemplateExpression(expr)) for (const s of expr.templateSpans) checkSink(s.expression, strict, seen);
      return;
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) return checkSink(expr.expression, strict, seen);
    if (ts.isConditionalExpression(expr)) {
      checkSink(expr.whenTrue, strict, seen);
      checkSink(expr.whenFalse, strict, seen);
      return;
    }
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return checkSink(expr.right, strict, seen);
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) {
        checkSink(expr.left, strict, seen);
        checkSink(expr.right, strict, seen);
      }
      return; // comparisons and the like give booleans
    }
    if (ts.isArrayLiteralExpression(expr)) return expr.elements.forEach((e) => checkSink(e, strict, seen));
    if (ts.isObjectLiteralExpression(expr)) {
      for (const p of expr.properties) {
        if (ts.isPropertyAssignment(p)) checkSink(p.initializer, strict && !!p.name && ts.isIdentifier(p.name) && SINK_FIELDS.has(p.name.text), seen);
        else if (ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p)) checkSink(ts.isSpreadAssignment(p) ? p.expression : p.name, false, seen);
      }
      return;
    }
    if (ts.isCallExpression(expr)) {
      if (translateKind(expr) || isLogCall(expr)) return;
      // `parts.join(' · ')`: the receiver is the shown value; arguments of other calls only count when they read like words.
      if (ts.isPropertyAccessExpression(expr.expression)) checkSink(expr.expression.expression, strict, seen);
      for (const a of expr.arguments) checkSink(a, false, seen);
      return;
    }
    if (ts.isIdentifier(expr)) {
      const init = consts.get(expr.text);
      if (init && !seen.has(expr.text)) checkSink(init, false, new Set([...seen, expr.text]));
      return;
    }
    // TABLE[x].label: the table's literals.
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      let root: ts.Expression = expr;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
      if (ts.isIdentifier(root)) {
        const init = consts.get(root.text);
        if (init && !seen.has(root.text) && (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init))) checkSink(init, false, new Set([...seen, root.text]));
      }
    }
  };

  const visit = (node: ts.Node): void => {
    const exempt = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isVariableStatement(node) ? exemption(node) : undefined;
    if (exempt) {
      const name = ts.isVariableStatement(node) ? node.declarationList.declarations.map((d) => d.name.getText(sf)).join(', ') : ((node as ts.FunctionDeclaration | ts.MethodDeclaration).name?.getText(sf) ?? '?');
      logOnly.push(`${file}:${lineOf(node)} ${name} (${exempt})`);
      logOnlyDepth++;
      ts.forEachChild(node, visit);
      logOnlyDepth--;
      return;
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isAsExpression(node) && node.type.getText(sf) === 'MessageKey' && !isTranslateModule(file, './' + path.basename(file))) report(node, 'only msg() makes a MessageKey (a cast hides the message from the bundles)');
    if (ts.isCallExpression(node)) {
      const kind = translateKind(node);
      if (kind) {
        checkTranslateCall(node, kind);
        // The message is the key; what fills its placeholders is checked like any other expression.
        node.arguments.slice(1).forEach(visit);
        return;
      }
      if (isLogCall(node)) return;
      if (ts.isIdentifier(node.expression) && (node.expression.text === 'require')) return;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
      const name = calleeName(node.expression);
      if (logOnlyDepth) return ts.forEachChild(node, visit);
      if (name && SINK_CALLS.has(name)) for (const a of node.arguments) checkSink(a, true);
      if (node.expression.kind === ts.SyntaxKind.SuperKeyword && isErrorClass(node)) for (const a of node.arguments) checkSink(a, true);
    }
    if (logOnlyDepth) return ts.forEachChild(node, visit);
    if (ts.isNewExpression(node)) {
      if (isProgrammerError(node)) return;
      const name = calleeName(node.expression);
      if (name && (SINK_CONSTRUCTORS.has(name) || /Error$/.test(name))) for (const a of node.arguments ?? []) checkSink(a, true);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && SINK_FIELDS.has(node.left.name.text)) {
      checkSink(node.right, true);
    }
    if ((ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) && node.initializer && ts.isIdentifier(node.name) && SINK_FIELDS.has(node.name.text)) {
      checkSink(node.initializer, true);
    }
    // Property names and element keys are names, not text.
    if ((ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isEnumMember(node)) && node.name) {
      if (ts.isPropertyAssignment(node)) return visit(node.initializer);
      if (ts.isPropertyDeclaration(node)) return node.initializer ? visit(node.initializer) : undefined;
      if (ts.isMethodDeclaration(node)) return node.body ? visit(node.body) : undefined;
      return node.initializer ? visit(node.initializer) : undefined;
    }
    if (ts.isElementAccessExpression(node)) return visit(node.expression);
    if (isComparedCode(node)) return;
    const lit = literalText(node);
    if (lit && readsLikeWords(lit.text, lit.isTemplate)) report(node, 'reads like words a user sees: wrap it in vscode.l10n.t() (or t() in vscode-free code)');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // A literal both a sink and prose is reported once.
  const seenProblems = new Set<string>();
  return {
    uses,
    logOnly,
    problems: problems.filter((p) => {
      const k = `${p.line}|${p.text}`;
      if (seenProblems.has(k)) return false;
      seenProblems.add(k);
      return true;
    }),
  };
}

/** Whether `specifier`, imported by `file` (a path relative to the project), names the translate module. */
function isTranslateModule(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.posix.join(path.posix.dirname(file.split(path.sep).join('/')), specifier).replace(/\.(js|ts)$/, '');
  return target === TRANSLATE_MODULE;
}

const COMPARISONS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);
const MATCHERS = new Set(['startsWith', 'endsWith', 'includes', 'has']);

/**
 * A one-token literal something is compared with — `code === 'Forbidden'`, `code.startsWith('NoPermission')`,
 * `case 'Credentials':` — is a code, not text. A phrase compared with (`pick === 'Show Log'`) is still text.
 */
function isComparedCode(node: ts.Node): boolean {
  if (!(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) || /\s/.test(node.text)) return false;
  const p = node.parent;
  if (ts.isBinaryExpression(p) && COMPARISONS.has(p.operatorToken.kind)) return true;
  if (ts.isCaseClause(p) && p.expression === node) return true;
  return ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && MATCHERS.has(p.expression.name.text) && p.arguments[0] === node;
}

/** `super(...)` in a class extending something named …Error: the message of a user-visible error. */
function isErrorClass(call: ts.CallExpression): boolean {
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
    if (ts.isClassDeclaration(p) || ts.isClassExpression(p)) {
      const ext = p.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      return !!ext && /Error$/.test(ext.expression.getText()) && !PROGRAMMER_ERRORS.has(ext.expression.getText());
    }
  }
  return false;
}

/** Every .ts file below `dir`, sorted. */
export function sourceFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...sourceFilesUnder(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The extension's UI code: src/vscode and the activation file. Paths in the results are relative to `root`. */
export function scanExtension(root: string): ScanResult {
  const files = [...sourceFilesUnder(path.join(root, 'src', 'vscode')), path.join(root, 'src', 'extension.ts')];
  const all: ScanResult = { uses: [], problems: [], logOnly: [] };
  for (const f of files) {
    const r = scanSource(path.relative(root, f), fs.readFileSync(f, 'utf8'));
    all.uses.push(...r.uses);
    all.problems.push(...r.problems);
    all.logOnly.push(...r.logOnly);
  }
  return all;
}

/** The placeholders of a message, sorted: "{1} of {0}" -> ["{0}", "{1}"]. */
export function placeholdersOf(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}
