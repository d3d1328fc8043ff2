/** The VS Code extension's entry; not written yet. */
export function activate(): void {}
export function deactivate(): void {}
