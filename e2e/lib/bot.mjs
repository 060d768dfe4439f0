// The bot process started by e2e/run.sh (`python app.py`), as the scenarios see it: kill it with
// SIGKILL, start it again on the same database and port, run `spaser-bot` commands on its database.
//
// run.sh writes the bot's pid to $E2E_WORK/bot.pid and stops whatever pid that file names at the
// end, so a bot restarted here is stopped too. The bot runs in its own process group (setsid), like
// the one run.sh started, and appends to the same log.

import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class BotProcess {
  /** From the environment run.sh exports: E2E_WORK, E2E_BOT_PORT, E2E_PYTHON, E2E_REPO. */
  static fromEnv(env = process.env) {
    for (const name of ['E2E_WORK', 'E2E_BOT_PORT', 'E2E_PYTHON', 'E2E_REPO']) {
      if (!env[name]) throw new Error(`${name} is not set: run the scenarios through e2e/run.sh`);
    }
    return new BotProcess({ workDir: env.E2E_WORK, port: Number(env.E2E_BOT_PORT), python: env.E2E_PYTHON, repo: env.E2E_REPO });
  }

  constructor({ workDir, port, python, repo }) {
    this.workDir = workDir;
    this.port = port;
    this.python = python;
    this.repo = repo;
    this.pidFile = path.join(workDir, 'bot.pid');
    this.logFile = path.join(workDir, 'bot.log');
    this.url = `http://127.0.0.1:${port}`;
  }

  async pid() {
    return Number((await readFile(this.pidFile, 'utf8')).trim());
  }

  /** `kill -9` of the bot's process group: no shutdown hook runs, the scheduler stops mid-flight. */
  async kill9() {
    const pid = await this.pid();
    process.kill(-pid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid), 10_000, `the bot (pid ${pid}) did not die after SIGKILL`);
  }

  /** A clean stop (SIGTERM: aiohttp's cleanup stops the scheduler and closes the database). */
  async stop() {
    const pid = await this.pid();
    if (!isAlive(pid)) return;
    process.kill(-pid, 'SIGTERM');
    await waitUntil(() => !isAlive(pid), 15_000, `the bot (pid ${pid}) did not stop after SIGTERM`);
  }

  /** Starts `python app.py` again on the same database and port; `env` adds or overrides variables. */
  async start(env = {}) {
    const log = openSync(this.logFile, 'a');
    try {
      const child = spawn(this.python, [path.join(this.repo, 'app.py')], {
        cwd: this.workDir,
        env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', ...env },
        detached: true,
        stdio: ['ignore', log, log],
      });
      child.unref();
      await writeFile(this.pidFile, `${child.pid}\n`);
    } finally {
      closeSync(log);
    }
    await this.waitHealthy();
  }

  /** Waits until GET /healthz answers 200 (database up, scheduler running). */
  async waitHealthy(timeout = 60_000) {
    await waitUntil(
      async () => {
        try {
          return (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
        } catch {
          return false;
        }
      },
      timeout,
      `the bot did not answer on ${this.url}/healthz within ${timeout} ms (see bot.log)`,
    );
  }

  /** Runs `spaser-bot <args>` on the bot's database (from the temp dir, like the bot); returns stdout. */
  async cli(args) {
    const { stdout } = await run(this.python, ['-c', 'import sys; from app import main; main(sys.argv[1:])', ...args], {
      cwd: this.workDir,
      env: { ...process.env, SPASER_SCHEDULER: 'off' },
      timeout: 60_000,
    });
    return stdout;
  }
}

/** Alive and not a zombie (a killed child stays in the process table until its parent reaps it). */
function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(condition, timeout, message) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(message);
}
