// Lock names shared by every tab of the app.
const APP = 'notes-app';
export const DOC_LOCK = `${APP}:document`;
export const OUTBOX_LOCK = `${APP}:outbox`;
