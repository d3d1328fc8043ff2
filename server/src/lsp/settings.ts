/**
 * Editor settings (section "deadbolt") pulled with `workspace/configuration`, one cached promise per scope URI,
 * and their merge over the project's deadbolt.config.json into the engine's DeadboltConfig.
 */
import { SEVERITIES as CONFIG_SEVERITIES } from '../engine/config.js';
import { RULE_IDS, type DeadboltConfig, type RuleId, type Severity } from '../engine/types.js';

/** The "deadbolt" settings section as an editor sends it; anything may be missing or of the wrong type. */
export interface DeadboltSettings {
  enable: boolean;
  rules: Partial<Record<RuleId, Severity | 'off'>>;
  blockingFunctions: string[];
}

export const DEFAULT_SETTINGS: DeadboltSettings = { enable: true, rules: {}, blockingFunctions: [] };

/** The severities deadbolt.config.json accepts, `hint` included: the extension offers exactly these. */
const SEVERITIES = new Set<string>(CONFIG_SEVERITIES);

/**
 * Reads an untrusted settings value, keeping what is well-formed and reporting the rest through `warn`:
 * a typo in one rule's severity should cost that rule's override, not every setting.
 */
export function parseSettings(raw: unknown, warn: (message: string) => void): DeadboltSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const value = raw as Record<string, unknown>;
  const settings: DeadboltSettings = { enable: true, rules: {}, blockingFunctions: [] };
  if (typeof value.enable === 'boolean') settings.enable = value.enable;
  if (typeof value.rules === 'object' && value.rules !== null) {
    for (const [id, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (!(RULE_IDS as readonly string[]).includes(id)) warn(`deadbolt.rules: unknown rule id "${id}" ignored`);
      else if (typeof severity !== 'string' || !SEVERITIES.has(severity)) warn(`deadbolt.rules.${id}: ${JSON.stringify(severity) ?? String(severity)} is not one of ${[...SEVERITIES].join(', ')}`);
      else settings.rules[id as RuleId] = severity as Severity | 'off';
    }
  }
  if (Array.isArray(value.blockingFunctions)) {
    settings.blockingFunctions = value.blockingFunctions.filter((entry): entry is string => typeof entry === 'string' && entry.length > 0);
  }
  return settings;
}

/** Editor settings win over the file for rule severities; blocking functions from both apply; ranks come from the file only. */
export function mergeConfig(file: DeadboltConfig, settings: DeadboltSettings): DeadboltConfig {
  const merged: DeadboltConfig = { ...file };
  if (file.rules !== undefined || Object.keys(settings.rules).length > 0) merged.rules = { ...file.rules, ...settings.rules };
  const blocking = [...new Set([...(file.blockingFunctions ?? []), ...settings.blockingFunctions])];
  if (blocking.length > 0) merged.blockingFunctions = blocking;
  return merged;
}

/** Fetches settings for a scope URI, once: the cache is dropped as a whole when the editor says configuration changed. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<DeadboltSettings>>();

  constructor(
    private readonly fetch: ((scopeUri: string) => Promise<unknown>) | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  get(scopeUri: string): Promise<DeadboltSettings> {
    let settings = this.cache.get(scopeUri);
    if (settings === undefined) {
      settings =
        this.fetch === undefined
          ? Promise.resolve(DEFAULT_SETTINGS)
          : this.fetch(scopeUri).then(
              (raw) => parseSettings(raw, this.warn),
              (error: unknown) => {
                this.warn(`could not read the "deadbolt" settings: ${String(error)}`);
                return DEFAULT_SETTINGS;
              },
            );
      this.cache.set(scopeUri, settings);
    }
    return settings;
  }

  clear(): void {
    this.cache.clear();
  }
}
