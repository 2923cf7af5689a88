/**
 * The shared front of the command-line scripts: parse flags, answer --help, and turn usage
 * mistakes into one line plus the usage on stderr (exit code 2).
 */
import { isAbsolute, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A path the user typed, read from where they typed it: `npm run` starts the script in the
 * project's folder, and npm keeps the caller's in INIT_CWD (`npm --prefix ~/cockpit run pipeline --
 * --input ./export` meant the caller's ./export). Defaults and COCKPIT_DB stay the project's.
 */
export function fromCaller(path: string): string {
  if (isAbsolute(path)) return path;
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };

export type CliResult<O extends Options> = { values: Values<O> } | { exitCode: number };

/** Parses `argv`; `required` flags must be present. --help prints the usage (exit 0). */
export function parseCli<O extends Options>(
  usage: string,
  options: O,
  required: (keyof O & string)[] = [],
  argv = process.argv.slice(2),
): CliResult<O> {
  let values: Values<O>;
  try {
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } })
      .values as Values<O>;
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return { exitCode: 2 };
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return { exitCode: 0 };
  }
  for (const name of required) {
    if (values[name] === undefined) {
      console.error(`--${name} is required\n${usage}`);
      return { exitCode: 2 };
    }
  }
  return { values };
}

/**
 * `--max-reject-rate R`: a plain decimal between 0 and 1 (Number() would also take "" as 0 and
 * "0x1" as 1), or null with the reason printed (the caller exits 2).
 */
export function rejectRateOption(given: string): number | null {
  const rate = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(given.trim()) ? Number(given) : Number.NaN;
  if (Number.isFinite(rate) && rate >= 0 && rate <= 1) return rate;
  console.error(`--max-reject-rate must be a number between 0 and 1, got "${given}"`);
  return null;
}

/**
 * A whole-number option (`--accounts N`): plain decimal digits from `min` (default 1) to `max`,
 * `fallback` when not given (Number() would also take "" as 0, "0x10" as 16, "1e3" and "-5"), or
 * null with the reason printed (the caller exits 2).
 */
export function intOption(
  name: string,
  given: string | undefined,
  fallback: number,
  { min = 1, max }: { min?: number; max?: number } = {},
): number | null {
  if (given === undefined) return fallback;
  const n = /^\d+$/.test(given.trim()) ? Number(given) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
  const range = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  console.error(`--${name} must be a whole number ${range}, got "${given}"`);
  return null;
}

/**
 * A positive decimal option (`--seconds S`): plain digits with an optional fraction, above 0,
 * `fallback` when not given, or null with the reason printed (the caller exits 2).
 */
export function decimalOption(name: string, given: string | undefined, fallback: number): number | null {
  if (given === undefined) return fallback;
  const n = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(given.trim()) ? Number(given) : Number.NaN;
  if (Number.isFinite(n) && n > 0) return n;
  console.error(`--${name} must be a number > 0, got "${given}"`);
  return null;
}

/** One of a fixed set of words (`--format csv`): `fallback` when not given, or null with the choices printed. */
export function choiceOption<T extends string>(
  name: string,
  given: string | undefined,
  choices: readonly T[],
  fallback: T,
): T | null {
  if (given === undefined) return fallback;
  if ((choices as readonly string[]).includes(given)) return given as T;
  console.error(`--${name} must be one of ${choices.join(', ')}, got "${given}"`);
  return null;
}
