// A server of its own for a browser test that needs settings the shared ones lack (a time zone, a
// restart): `node dist/server.js` on a port, started and stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { ADMIN_TOKEN } from './fixtures';

export interface Server {
  base: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/server.js` on a port with extra environment and waits until /health answers. */
export async function startServer(port: number, env: Record<string, string>): Promise<Server> {
  const { DATABASE_URL: _omit, ...rest } = process.env;
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: { ...rest, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), PAIRWISE_DEMO: '0', PAIRWISE_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited:\n${out}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server on ${port} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    base,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
