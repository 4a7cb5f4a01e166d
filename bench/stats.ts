// Small statistics and formatting helpers for the benchmark report.
export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: number[]): string {
	if (values.length === 0) return '';
	const sorted = [...values].sort((a, b) => a - b);
	return `${ms(sorted[0])}–${ms(sorted[sorted.length - 1])}`;
}

export function ms(value: number): string {
	return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
	return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function ratio(value: number, base: number): string {
	return `${(value / base).toFixed(2)}×`;
}

/** A Markdown table. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
	const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
	return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
