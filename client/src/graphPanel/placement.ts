/**
 * Where the lock-graph panel goes when a deadlock opens it. The debugger shows the stopped frame's file in the
 * active editor group, so the panel must be in another group: then both are seen at once, and the panel never ends
 * up behind that editor. An existing group is reused rather than a third column squeezed in. Pure (no vscode
 * import) so the choice is unit-tested; panel.ts reads the groups from `vscode.window.tabGroups`.
 */

export interface GroupsNow {
  /** The view columns of the editor groups, in order. */
  columns: readonly number[];
  /** The column of the group the debugger will open the stopped frame in (the active group). */
  stopped: number;
  /** The panel's column, when it is open. */
  panel?: number | undefined;
}

/** A column to show the panel in, or 'beside' for a new group next to the active one (when there is only one group). */
export function deadlockColumn(groups: GroupsNow): number | 'beside' {
  if (groups.panel !== undefined && groups.panel !== groups.stopped) return groups.panel;
  const others = groups.columns.filter((c) => c !== groups.stopped);
  if (others.length === 0) return 'beside';
  // The nearest group to the right of the stopped editor reads as "beside"; else the nearest to its left.
  const right = others.filter((c) => c > groups.stopped).sort((a, b) => a - b)[0];
  return right ?? others.sort((a, b) => b - a)[0]!;
}
