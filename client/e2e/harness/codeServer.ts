/**
 * Runs code-server (a real VS Code for the browser) under the Node 24 that e2e/install.sh installs: installs the
 * VSIX into a throwaway extensions folder, writes quiet user settings, starts it on 127.0.0.1 with no auth, and
 * resolves once it prints the address it listens on. `stop()` ends it and its extension hosts. Every wait on it is
 * bounded by `timeoutMs`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { withDeadline } from '../../test/deadline.js';
import { codeServerEntry, node24 } from './paths.js';

export interface CodeServer {
  url: string;
  logsDir: string;
  output(): string;
  /** The end of the extension's log and the extension host's errors: what a failing step's message shows. */
  recentLogs(): string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench from reaching for the network or opening panels the test does not expect. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'git.enabled': false,
  // Saving stays explicit so the test decides when the server sees a saved file.
  'files.autoSave': 'off',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Rewrites the user settings of the code-server started under `root`: the quiet ones plus `extra`. The workbench
 * watches the file, so a running window picks the change up (a colour theme, say) without a reload.
 */
function writeUserSettings(root: string, extra: Record<string, unknown> = {}): void {
  const dir = join(root, 'user-data', 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...quietSettings, ...extra }, null, 2));
}

/** `settings` are added to the quiet user settings (e.g. which node the JavaScript debugger runs). */
export async function startCodeServer(options: { root: string; vsix: string; timeoutMs: number; settings?: Record<string, unknown> }): Promise<CodeServer> {
  const userData = join(options.root, 'user-data');
  const extensions = join(options.root, 'extensions');
  const config = join(options.root, 'config.yaml');
  writeUserSettings(options.root, options.settings);
  const port = await freePort();
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  const install = spawnSync(node24, [codeServerEntry, ...common, '--install-extension', options.vsix], { encoding: 'utf8', timeout: options.timeoutMs });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    throw new Error(`code-server could not install ${options.vsix} (${install.error?.message ?? `exit ${install.status}`}):\n${install.stdout}\n${install.stderr}`);
  }

  const child: ChildProcess = spawn(
    node24,
    [codeServerEntry, ...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
    // Its own process group, so stop() can end the extension hosts and language servers it started too.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PATH: `${join(node24, '..')}:${process.env.PATH ?? ''}` } },
  );
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  // The server runs in its own process group, so it would outlive a test process that dies or times out before
  // stop(); ending the group on exit keeps a failed run from leaving code-server and its extension hosts behind.
  const killOnExit = (): void => killGroup();
  process.once('exit', killOnExit);

  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`code-server did not start within ${options.timeoutMs} ms:\n${log}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${log}`));
    });
  });

  return {
    url,
    logsDir: join(userData, 'logs'),
    output: () => log,
    recentLogs: () => recentLogs(join(userData, 'logs')),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (!running()) return;
      killGroup();
      try {
        await withDeadline(exited, 'exit of code-server after SIGTERM', options.timeoutMs);
      } catch (error) {
        killGroup('SIGKILL');
        throw error;
      }
    },
  };
}

/** Every file under `dir` named `name` (VS Code keeps one logs folder per window start). */
function logFiles(dir: string, name: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith(`/${name}`) || path === name)
      .sort()
      .map((path) => join(dir, path));
  } catch {
    return [];
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

function recentLogs(logsDir: string): string {
  const parts = [
    ...logFiles(logsDir, 'Deadbolt.log').map((file) => `${file}:\n${lastLines(readFileSync(file, 'utf8'), 30)}`),
    ...logFiles(logsDir, 'remoteexthost.log').map((file) => {
      const errors = readFileSync(file, 'utf8').split('\n').filter((line) => /\[error\]/.test(line));
      return `${file} (errors):\n${lastLines(errors.join('\n'), 15) || '(none)'}`;
    }),
  ];
  return parts.length > 0 ? parts.join('\n') : `(no logs under ${logsDir})`;
}
