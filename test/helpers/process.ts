// Runs the real server or a command-line tool as a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './paths';

/** The variables a child sees: the test's own, without the suite's DATABASE_URL unless given. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _omit, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', PAIRWISE_DEMO: '0', ...env };
}

export interface RunningServer {
  child: ChildProcess;
  base: string;
  output(): string;
  /** Sends the signal and answers the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in 45 s:\n${out}`));
    }, 45_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
    const check = setInterval(() => {
      const m = /running at (http:\/\/[^\s]+) on/.exec(out);
      if (!m) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve({
        child,
        base: m[1]!,
        output: () => out,
        async stop(signal = 'SIGTERM') {
          const started = Date.now();
          child.kill(signal);
          const code = await exited;
          return { code, ms: Date.now() - started };
        },
      });
    }, 50);
  });
}

/** Runs a command to its end; answers its exit code and output. */
export function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}
