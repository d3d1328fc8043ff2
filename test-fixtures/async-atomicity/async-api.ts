// Calls that are themselves awaited reach an asynchronous API (a database, a settings store), not memory this thread
// holds: notesnook apps/mobile/app/components/merge-conflicts/index.tsx reads `await db.notes.note(id)` and then
// writes `await db.notes.add({...})`; the database orders those, and no `Map`, `Set` or array method returns a promise.
// Keyed writes under two different constant keys do not overwrite each other either (continue
// extensions/cli/src/subagent/executor.ts sets `SERVICE_NAMES.TOOL_PERMISSIONS` where another service sets 'update').
import { Mutex } from 'async-mutex';

interface Note {
  id: string;
  contentId: string;
}
declare const db: {
  notes: { note(id: string): Promise<Note | undefined>; add(note: Partial<Note> & { conflicted?: boolean }): Promise<string> };
  content: { add(content: { id: string; data: string }): Promise<string> };
};
declare function fetchPermissions(): Promise<{ mode: string }>;

export const dbLock = new Mutex();

export async function applyChanges(noteId: string, data: string): Promise<void> {
  const note = await db.notes.note(noteId);
  if (!note) return;
  await db.notes.add({ id: note.id, conflicted: false });
  await db.content.add({ id: note.contentId, data });
}

export async function discard(noteId: string): Promise<void> {
  await db.notes.add({ id: noteId, conflicted: false });
}

const SERVICE_NAMES = { TOOL_PERMISSIONS: 'toolPermissions', MODEL: 'model' } as const;
const services = new Map<string, unknown>();

async function runSubagent(): Promise<void> {
  const main = services.get(SERVICE_NAMES.TOOL_PERMISSIONS) as { mode: string };
  const fetched = await fetchPermissions();
  services.set(SERVICE_NAMES.TOOL_PERMISSIONS, { ...main, ...fetched, mode: 'allow-all' });
}

void runSubagent();

export async function selectModel(): Promise<void> {
  const current = services.get(SERVICE_NAMES.MODEL);
  const fetched = await fetchPermissions();
  services.set(SERVICE_NAMES.MODEL, { current, fetched }); // expect: async-atomicity
}

export function notifyUpdate(state: unknown): void {
  services.set('update', state);
}

export function setModel(model: string): void {
  services.set(SERVICE_NAMES.MODEL, model);
}

// A store's own `set` is not a `Map`'s: notesnook apps/mobile/app/components/auth/forgot-password.tsx checks
// `SettingsService.get().lastRecoveryEmailTime`, awaits the request, then `SettingsService.set({ ... })`, which merges
// the fields it is given; `setTheme` sets another field.
declare function recoverAccount(email: string): Promise<void>;

const settings: { lastRecoveryEmailTime?: number; theme?: string } = {};
export const SettingsService = {
  get: () => settings,
  set: (partial: typeof settings) => Object.assign(settings, partial),
};

export async function sendRecoveryEmail(email: string): Promise<void> {
  const last = SettingsService.get().lastRecoveryEmailTime;
  if (last && Date.now() - last < 180_000) throw new Error('Please wait before sending another email');
  await recoverAccount(email);
  SettingsService.set({ lastRecoveryEmailTime: Date.now() });
}

export function setTheme(theme: string): void {
  SettingsService.set({ theme });
}
