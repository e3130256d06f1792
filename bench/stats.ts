// Latency samples → percentiles, and the one-line report every benchmark prints.

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarize(samplesMs: number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
}

/** Times `iterations` sequential calls after `warmup` untimed ones. */
export async function sample(
  iterations: number,
  warmup: number,
  call: () => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

export function report(
  title: string,
  baselineName: string,
  baseline: Summary,
  rows: Array<[string, Summary]>,
): string {
  const lines = [
    `\n${title}`,
    `  ${baselineName.padEnd(34)} p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  (baseline, n=${baseline.n})`,
  ];
  for (const [name, s] of rows) {
    lines.push(
      `  ${name.padEnd(34)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  ratio p50 ${(s.p50 / baseline.p50).toFixed(2)}×  p99 ${(s.p99 / baseline.p99).toFixed(2)}×`,
    );
  }
  return lines.join("\n");
}
