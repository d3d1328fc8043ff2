/**
 * The analysis roots of the language server: one per workspace folder (its tsconfig.json, or every source file
 * below it), plus one per folder of files opened outside any workspace folder (only their buffers). Each root
 * has its own engine Workspace in the worker, its settings, its scheduler and the findings it last published.
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/index.js';
import { ConfigError, loadConfig } from '../engine/config.js';
import type { AnalysisOutcome, EngineHost } from './engineHost.js';
import { RootScheduler } from './scheduler.js';
import { mergeConfig, type SettingsCache } from './settings.js';

export interface RootState {
  /** The key of the root in the worker: the folder path, prefixed for loose files. */
  readonly name: string;
  readonly folder: string;
  readonly enabled: boolean;
  /** Absent when the root is disabled by settings. */
  scheduler: RootScheduler | undefined;
  /** Findings of the last fresh analysis, by absolute file path. */
  findings: Map<string, Finding[]>;
  /** Versions of the open documents when the findings were computed: a fix is only placed on the text it was made for. */
  versions: Map<string, number>;
}

export interface RootEvents {
  fresh(root: RootState, outcome: Extract<AnalysisOutcome, { kind: 'analyzed' }>): void;
  failed(root: RootState, message: string): void;
  log(level: 'error' | 'info', message: string): void;
}

export class Roots {
  private folders: string[] = [];
  private readonly roots = new Map<string, Promise<RootState>>();
  /** One message per bad config file, not one per analysis. */
  private readonly reportedConfigErrors = new Set<string>();

  constructor(
    private readonly host: EngineHost,
    private readonly settings: SettingsCache,
    private readonly debounceMs: number,
    private readonly events: RootEvents,
  ) {}

  setFolders(folders: readonly string[]): void {
    // Longest first, so a nested folder wins over the folder that contains it.
    this.folders = [...folders].sort((a, b) => b.length - a.length);
  }

  /** The name of the root a file belongs to. */
  rootNameOf(path: string): string {
    const folder = this.folders.find((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep));
    return folder ?? `loose:${dirname(path)}`;
  }

  /** The root, opened on first use. */
  get(name: string): Promise<RootState> {
    let root = this.roots.get(name);
    if (root === undefined) {
      root = this.open(name);
      this.roots.set(name, root);
    }
    return root;
  }

  /** Every root opened so far. */
  all(): Promise<RootState[]> {
    return Promise.all(this.roots.values());
  }

  /** Forgets every root (settings or configuration changed); callers re-send their buffers to the new ones. */
  async reset(): Promise<RootState[]> {
    const old = await this.all();
    this.roots.clear();
    this.reportedConfigErrors.clear();
    for (const root of old) {
      root.scheduler?.dispose();
      if (root.enabled) this.host.closeRoot(root.name);
    }
    return old;
  }

  private async open(name: string): Promise<RootState> {
    const loose = name.startsWith('loose:');
    const folder = loose ? name.slice('loose:'.length) : name;
    const settings = await this.settings.get(pathToFileURL(folder).href);
    const state: RootState = {
      name,
      folder,
      enabled: settings.enable,
      scheduler: undefined,
      findings: new Map(),
      versions: new Map(),
    };
    if (!settings.enable) return state;

    const config = mergeConfig(this.fileConfig(folder), settings);
    const tsconfig = ['tsconfig.json', 'jsconfig.json'].map((file) => join(folder, file)).find((file) => existsSync(file));
    // Loose files are analysed from their buffers alone: walking the folder of a file opened from anywhere
    // (a home directory, a download folder) could mean reading an unbounded tree. A folder's own config is found,
    // not named, so a workspace's packages stand in for it when it covers little (as on the command line).
    const where = loose ? { paths: [] } : tsconfig !== undefined ? { tsconfig, expandWorkspaces: true } : { paths: [folder] };
    this.host.openRoot(name, { cwd: folder, config, ...where });
    state.scheduler = new RootScheduler(this.host, name, {
      debounceMs: this.debounceMs,
      onFresh: (outcome) => this.events.fresh(state, outcome),
      onFailure: (message) => this.events.failed(state, message),
    });
    return state;
  }

  private fileConfig(folder: string): ReturnType<typeof loadConfig>['config'] {
    try {
      return loadConfig({ cwd: folder }).config;
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : String(error);
      if (!this.reportedConfigErrors.has(message)) {
        this.reportedConfigErrors.add(message);
        this.events.log('error', `ignoring the configuration file: ${message}`);
      }
      return {};
    }
  }
}
