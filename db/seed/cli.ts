// npm run demo -- --out FOLDER [--seed 42] [--weeks 52] [--scale 1] [--end YYYY-MM-DD]
// Writes the demo CSV files (one per kind of the data contract) and prints the story.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, DEMO_KINDS, todayUtc, validateDemoOptions, writeDemo, type DemoOptions } from './generate';

const USAGE = 'usage: npm run demo -- --out FOLDER [--seed 42] [--weeks 52] [--scale 1] [--end YYYY-MM-DD]';

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new RangeError(`--${name} must be a number, not "${text}"`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  let out: string;
  let options: DemoOptions;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        seed: { type: 'string' },
        weeks: { type: 'string' },
        scale: { type: 'string' },
        end: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (!values.out) throw new RangeError('--out FOLDER is required');
    out = resolve(values.out);
    options = validateDemoOptions({
      seed: number('seed', values.seed, DEMO_DEFAULTS.seed),
      weeks: number('weeks', values.weeks, DEMO_DEFAULTS.weeks),
      scale: number('scale', values.scale, DEMO_DEFAULTS.scale),
      end: values.end ?? todayUtc(),
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }

  const started = performance.now();
  const story = await writeDemo(out, options);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Demo data (seed ${options.seed}, ${options.weeks} weeks to ${options.end}, scale ${options.scale}) written to ${out} in ${seconds} s:`,
  );
  for (const kind of DEMO_KINDS)
    console.log(`  ${`${kind}.csv`.padEnd(17)} ${String(story.counts[kind]).padStart(8)} rows`);
  console.log(`Incident: ${story.incident.title}, week of ${story.incident.weekStart}.`);
  console.log(`Praised agents: ${story.praisedAgents.join(', ')}; high-turnover team: ${story.turnoverTeam}.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
