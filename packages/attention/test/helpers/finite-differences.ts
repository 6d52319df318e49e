/**
 * Central finite differences of a scalar function of several flat parameter arrays.
 */

/**
 * `∂f/∂x` for every entry of every array in `params` by central differences with step `h` (`params` are
 * restored after each probe). `f` reads the arrays it is given.
 */
export function centralDifferences(
  f: (params: Float64Array[]) => number,
  params: readonly ArrayLike<number>[],
  h: number,
): Float64Array[] {
  const work = params.map((p) => Float64Array.from(p));
  return work.map((p) => {
    const grad = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const x = p[i]!;
      p[i] = x + h;
      const up = f(work);
      p[i] = x - h;
      const down = f(work);
      p[i] = x;
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  });
}
