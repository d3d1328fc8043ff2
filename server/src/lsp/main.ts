// Entry point of the lsp front door; not written yet.
export {};
