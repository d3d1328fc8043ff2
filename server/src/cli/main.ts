// Entry point of the cli front door; not written yet.
export {};
