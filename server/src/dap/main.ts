// Entry point of the dap front door; not written yet.
export {};
