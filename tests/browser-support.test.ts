/**
 * The web app runs in browsers we do not test (only Chromium is installed here). Its floor is Vite's
 * "baseline widely available": Chrome/Edge 111, Firefox 115 (ESR), Safari 16.4. The build
 * (vite.config.ts, target es2022) rewrites syntax for them and lowers CSS nesting, but it adds no
 * API: a built-in, DOM method or CSS feature they lack reaches them as is. This scans web/src (not
 * its tests, which run in Node) for the ones most likely to be reached for, with the way instead.
 * Comments may name them; code may not, except in the one module that feature-detects it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Rule {
  name: string;
  pattern: RegExp;
  /** who lacks it, and what happens there */
  why: string;
  instead: string;
  /** files (from the repository root) that may use it: they feature-detect it */
  allowIn?: string[];
  /** code the pattern must catch (keeps the pattern honest) */
  example: string;
}

const SCRIPT_RULES: Rule[] = [
  {
    name: 'Object.groupBy / Map.groupBy',
    pattern: /\b(Object|Map)\.groupBy\b/,
    why: 'Chrome 117, Firefox 119, Safari 17.4: a TypeError before',
    instead: 'a loop filling a Map or a Record',
    example: 'Object.groupBy(rows, (r) => r.kind)',
  },
  {
    name: 'Promise.withResolvers',
    pattern: /\bPromise\.withResolvers\b/,
    why: 'Chrome 119, Firefox 121, Safari 17.4: a TypeError before',
    instead: 'new Promise((resolve, reject) => …), keeping resolve and reject',
    example: 'const { promise, resolve } = Promise.withResolvers();',
  },
  {
    name: 'Array.fromAsync',
    pattern: /\bArray\.fromAsync\b/,
    why: 'Chrome 121: a TypeError before',
    instead: 'a loop that pushes, or Promise.all',
    example: 'await Array.fromAsync(gen())',
  },
  {
    name: 'Set methods (union, intersection, …)',
    // z.union / z.intersection are zod's
    pattern:
      /(?<!\bz)\.(union|intersection|difference|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(/,
    why: 'Chrome 122, Firefox 127, Safari 17: a TypeError before',
    instead: 'new Set([...a].filter((x) => b.has(x))) and the like',
    example: 'a.union(b)',
  },
  {
    name: 'iterator helpers',
    pattern:
      /\bIterator\.from\b|(\.(keys|values|entries)\(\)|\.matchAll\([^)]*\))\s*\.(map|filter|take|drop|flatMap|reduce|toArray|forEach|some|every|find)\(/,
    why: 'Chrome 122, Firefox 131, Safari 18.4: a TypeError before',
    instead: 'an array first: [...map.values()].map(…) or Array.from(map.values(), …)',
    example: 'map.values().map((v) => v.id)',
  },
  {
    name: 'Intl.Segmenter / Intl.DurationFormat',
    pattern: /\bIntl\.(Segmenter|DurationFormat)\b/,
    why: 'Segmenter: Firefox 125; DurationFormat: Chrome 129, Firefox 136: a TypeError before',
    instead: 'Array.from(text) for characters; durations formatted in lib/format.ts',
    example: 'new Intl.Segmenter("en", { granularity: "word" })',
  },
  {
    name: 'Intl.NumberFormat v3 (rounding options, formatRange)',
    pattern:
      /\b(roundingMode|roundingIncrement|roundingPriority|trailingZeroDisplay)\b|\.formatRange(ToParts)?\(/,
    why: 'Firefox 116: Firefox 115 ESR ignores the options (other digits, silently) and has no formatRange',
    instead: 'round the number first (Math.round) and use minimum/maximumFractionDigits',
    example: "new Intl.NumberFormat('en-US', { roundingMode: 'floor' })",
  },
  {
    name: 'URL.canParse / URL.parse',
    pattern: /\bURL\.(canParse|parse)\b/,
    why: 'canParse: Chrome 120, Safari 17; parse: Chrome 126, Firefox 126, Safari 18: a TypeError before',
    instead: 'try { new URL(text) } catch { … }',
    example: 'if (URL.canParse(href)) go(href);',
  },
  {
    name: 'AbortSignal.any',
    pattern: /\bAbortSignal\.any\b/,
    why: 'Chrome 116, Firefox 124, Safari 17.4: a TypeError before',
    instead: "one AbortController, aborted from each signal's 'abort' event",
    example: 'AbortSignal.any([a, b])',
  },
  {
    name: 'requestIdleCallback',
    pattern: /\b(request|cancel)IdleCallback\b/,
    why: 'Safari has none (18 neither): a ReferenceError',
    instead: 'whenIdle (web/src/lib/idle.ts), which falls back to a timeout',
    allowIn: ['web/src/lib/idle.ts'],
    example: 'requestIdleCallback(run)',
  },
  {
    name: 'the regular expression v flag',
    // a literal's flags after its closing slash, or RegExp(…, '…v…'): the build keeps either as a
    // RegExp call that throws where the flag is unknown (a review built one to check)
    pattern:
      /\/[dgimsuy]*v[dgimsuy]*(?=[\s.,;)\]}]|$)(?<=[^/*\s]\/[a-z]*)|\bRegExp\([^)]*,\s*['"`][a-z]*v[a-z]*['"`]\)/,
    why: 'Chrome 112, Firefox 116, Safari 17: a SyntaxError when the expression is built, a blank page at the top of a module',
    instead: 'the u flag, with the set written out as a character class',
    example: 'const word = /[\\p{L}--[a-z]]/v;',
  },
  {
    name: '<search> element',
    pattern: /<search\b/,
    why: 'Firefox 118, Safari 17: an unknown element, so screen readers get no search landmark',
    instead: '<div role="search"> (the same landmark everywhere)',
    example: '<search className="toolbar">',
  },
  {
    name: 'crypto.randomUUID',
    pattern: /\brandomUUID\b/,
    why: 'only in a secure context: undefined on http:// at a LAN address, a TypeError',
    instead: 'crypto.getRandomValues (any context) or a counter',
    example: 'const id = crypto.randomUUID();',
  },
  {
    name: 'navigator.clipboard / ClipboardItem',
    pattern: /\bnavigator\.clipboard\b|\bClipboardItem\b/,
    why: 'no clipboard outside a secure context; ClipboardItem: Firefox 127; Safari refuses a write after an await',
    instead: 'copyText (web/src/lib/clipboard.ts), which rejects when the text must be copied by hand',
    allowIn: ['web/src/lib/clipboard.ts'],
    example: 'await navigator.clipboard.writeText(md);',
  },
  {
    name: 'async iteration of a stream',
    // a guess from the names: a stream, a response body
    pattern: /for\s+await\s*\([^)]*\bof\s+[^)]*(\.body\b|stream|readable)|\bReadableStream\.from\b/i,
    why: 'for await over a ReadableStream: Chrome 124, Safari none (18 neither): a TypeError',
    instead: 'stream.getReader() and a reader.read() loop, as web/src/views/Estimate/upload.ts does',
    example: 'for await (const chunk of res.body) push(chunk);',
  },
  {
    name: 'popover',
    pattern: /\b(show|hide|toggle)Popover\b|\bpopover(Target)?=/,
    why: 'Firefox 125, Safari 17: shown inline or never, or a TypeError',
    instead: '<dialog> (components/Drawer.tsx) or a positioned element (components/InfoTip.tsx)',
    example: '<div popover="auto" id="menu">',
  },
  {
    name: 'view transitions',
    pattern: /\bstartViewTransition\b/,
    why: 'Firefox 144, Safari 18: a TypeError',
    instead: 'the update alone (or a helper that feature-detects it, listed in allowIn)',
    example: 'document.startViewTransition(() => update())',
  },
];

const STYLE_RULES: Rule[] = [
  {
    name: ':has()',
    pattern: /:has\(/,
    why: 'Firefox 121: Firefox 115 ESR drops the whole rule',
    instead: 'a sibling selector (a + b, a ~ b) or a class the component sets',
    example: '.drop:has(input:focus-visible) .pick { outline: 2px solid }',
  },
  {
    name: 'light-dark() and relative colours',
    pattern: /\blight-dark\(|\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(\s*from\b/,
    why: 'light-dark: Chrome 123, Firefox 120, Safari 17.5; rgb(from …): Chrome 119, Firefox 128: no colour at all before',
    instead: 'a token (--name) or color-mix(), which the floor has',
    example: 'color: rgb(from var(--brand) r g b / 50%);',
  },
  {
    name: 'anchor positioning',
    pattern: /\b(anchor-name|position-anchor|position-area|position-try(-fallbacks)?)\s*:|\banchor\(/,
    why: 'Chrome 125, Safari 26, Firefox none: the element is not placed',
    instead: 'placement in script (components/tipPlacement.ts)',
    example: '.tip { position-anchor: --btn; }',
  },
  {
    name: '@scope, @starting-style, field-sizing, interpolate-size',
    pattern: /@scope\b|@starting-style\b|\bfield-sizing\s*:|\binterpolate-size\s*:|\bcalc-size\(/,
    why: 'Chrome 117–129, Firefox 128+ or none, Safari 17.4+: dropped (with every rule inside an @scope)',
    instead: 'plain selectors and sizes',
    example: '@scope (.card) { p { margin: 0 } }',
  },
];

/** web/src's files ending in one of `exts`, tests and test fixtures left out, from the repository root */
function sources(exts: string[]): string[] {
  return readdirSync(join(ROOT, 'web/src'), { recursive: true, encoding: 'utf8' })
    .map((f) => `web/src/${f.split('\\').join('/')}`)
    .filter(
      (f) => exts.some((e) => f.endsWith(e)) && !/\.test\.tsx?$/.test(f) && !f.startsWith('web/src/test/'),
    );
}

/** The text with its comments blanked (line breaks kept, so line numbers hold). */
function withoutComments(text: string, script: boolean): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const out = text.replace(/\/\*[\s\S]*?\*\//g, blank);
  return script
    ? out.replace(/(^|\s)\/\/.*$/gm, (m, before: string) => before + blank(m.slice(before.length)))
    : out;
}

/** `file:line: code` for each line of `files` that `rule` catches, outside its allowed files */
function offenders(rule: Rule, files: string[], script: boolean): string[] {
  return files
    .filter((f) => !rule.allowIn?.includes(f))
    .flatMap((file) =>
      withoutComments(readFileSync(join(ROOT, file), 'utf8'), script)
        .split('\n')
        .flatMap((line, i) => (rule.pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
}

const message = (rule: Rule, hits: string[]) =>
  `${rule.name}: not in every browser the web app must run in (${rule.why}).\nUse instead: ${rule.instead}.\n${hits.join('\n')}`;

describe('web app APIs and CSS within the browser floor (Chrome 111, Firefox 115 ESR, Safari 16.4)', () => {
  const scripts = sources(['.ts', '.tsx']);
  const styles = sources(['.css']);

  it('finds the sources', () => {
    expect(scripts.length).toBeGreaterThan(50);
    expect(styles).toContain('web/src/styles.css');
  });

  it.each(SCRIPT_RULES.map((r) => [r.name, r] as const))('scripts: no %s', (_, rule) => {
    expect(rule.pattern.test(rule.example), `the pattern misses its own example: ${rule.example}`).toBe(true);
    for (const f of rule.allowIn ?? []) expect(scripts, `allowIn names a file that is gone`).toContain(f);
    const hits = offenders(rule, scripts, true);
    expect(hits, message(rule, hits)).toEqual([]);
  });

  it.each(STYLE_RULES.map((r) => [r.name, r] as const))('styles: no %s', (_, rule) => {
    expect(rule.pattern.test(rule.example), `the pattern misses its own example: ${rule.example}`).toBe(true);
    const hits = offenders(rule, styles, false);
    expect(hits, message(rule, hits)).toEqual([]);
  });

  it('reads code, not comments, and lets zod and plain arrays be', () => {
    const [groupBy, , , setMethods, iterators] = SCRIPT_RULES;
    const code = withoutComments(
      '// Object.groupBy would do\n/* Object.groupBy */ x;\nObject.groupBy(a)',
      true,
    );
    expect(code.split('\n').map((l) => groupBy?.pattern.test(l))).toEqual([false, false, true]);
    expect(withoutComments("fetch('http://host/x')", true)).toBe("fetch('http://host/x')");
    expect(setMethods?.pattern.test('z.union([a, b])')).toBe(false);
    expect(iterators?.pattern.test('Object.keys(o).map(f)')).toBe(false);
    expect(iterators?.pattern.test('[...m.values()].map(f)')).toBe(false);
  });

  it('keeps the build target at or below the floor', () => {
    // a later target leaves syntax (e.g. the regexp v flag, `using`) the floor cannot parse: a blank page
    const config = readFileSync(join(ROOT, 'vite.config.ts'), 'utf8');
    const target = /\btarget:\s*'([^']+)'/.exec(config)?.[1];
    expect(target, 'vite.config.ts: build.target').toMatch(/^(es20(1\d|2[0-2])|baseline-widely-available)$/);
  });
});
