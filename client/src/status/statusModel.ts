/**
 * What the status bar item says for each state of the language server and the findings it reported.
 * Pure so the wording is unit-tested; statusBar.ts only copies the result onto the VS Code item.
 */

export type ServerState = 'starting' | 'running' | 'stopped' | 'disabled';

export interface StatusInput {
  server: ServerState;
  errors: number;
  warnings: number;
  /** Other severities (information, hint) of Deadbolt findings. */
  others: number;
  /** The server announced an analysis run that has not published yet (deadbolt/analysisState). */
  analyzing?: boolean;
  /**
   * False until the server has finished its first analysis since it started: until then no count is a finding
   * count, so the item must not say "no lock findings". Absent means known to be analysed (older callers).
   */
  analysed?: boolean;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: string;
  /** Whether the item should use the warning background (the server is down). */
  alert: boolean;
}

export function statusView(input: StatusInput): StatusView {
  switch (input.server) {
    case 'starting':
      return { text: '$(sync~spin) Deadbolt', tooltip: 'Deadbolt: starting the analysis server', command: 'deadbolt.showOutput', alert: false };
    case 'stopped':
      return { text: '$(error) Deadbolt', tooltip: 'Deadbolt: the analysis server stopped. Click to restart it.', command: 'deadbolt.restartServer', alert: true };
    case 'disabled':
      return { text: '$(circle-slash) Deadbolt', tooltip: 'Deadbolt is disabled (deadbolt.enable)', command: 'deadbolt.showOutput', alert: false };
    case 'running': {
      if (input.analyzing) {
        return { text: '$(sync~spin) Deadbolt', tooltip: 'Deadbolt: analysing...', command: 'deadbolt.showOutput', alert: false };
      }
      if (input.analysed === false) {
        return { text: '$(lock) Deadbolt', tooltip: 'Deadbolt: nothing analysed yet. Open a TypeScript or JavaScript file.', command: 'deadbolt.showOutput', alert: false };
      }
      const total = input.errors + input.warnings + input.others;
      if (total === 0) {
        return { text: '$(lock) Deadbolt', tooltip: 'Deadbolt: no lock findings. Click to show the lock graph.', command: 'deadbolt.showLockGraph', alert: false };
      }
      const parts = [plural(input.errors, 'error'), plural(input.warnings, 'warning'), plural(input.others, 'note')].filter(Boolean);
      const icon = input.errors > 0 ? '$(error)' : '$(warning)';
      return {
        text: `${icon} Deadbolt ${total}`,
        tooltip: `Deadbolt: ${parts.join(', ')}. Click to show the lock graph.`,
        command: 'deadbolt.showLockGraph',
        alert: false,
      };
    }
  }
}

function plural(count: number, noun: string): string {
  return count === 0 ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`;
}
