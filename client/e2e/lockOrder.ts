/**
 * Reads, per function of the fixture, the order in which it takes `accounts` and `ledger`, so the editor test
 * can check the quick fix by what the code does rather than by the exact text the fix wrote.
 */

export function lockOrderOf(source: string): Record<'transfer' | 'audit', string[]> {
  const body = (name: string): string => {
    const start = source.indexOf(`function ${name}(`);
    if (start < 0) throw new Error(`no function ${name} in:\n${source}`);
    const next = source.indexOf('\nexport function', start + 1);
    return source.slice(start, next < 0 ? undefined : next);
  };
  const order = (text: string): string[] =>
    [...text.matchAll(/\b(accounts|ledger)\.lock(?:Async)?\(/g)].map((m) => m[1]!);
  return { transfer: order(body('transfer')), audit: order(body('audit')) };
}
