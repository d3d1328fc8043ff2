// The tsconfig names "source", not this folder: nothing is analysed, and the CLI says so.
export const answer = 42;
