/** `step` over `items`, at most `width` at a time (git and cargo runs are not free), results in order; the first failure is thrown. */
export async function inTurn<T, R>(items: readonly T[], width: number, step: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await step(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
