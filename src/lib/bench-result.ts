export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, as text (e.g. '<= 2000 ms'). */
  target?: string;
  note?: string;
}

export type BenchModule = { run(): Promise<BenchResult[]> };
