// Queued faults: each applies to the next `times` matching requests (default 1, Infinity allowed),
// the first matching one in insertion order wins.
export class FaultQueue<F extends { times?: number }> {
	private readonly entries: Array<{ fault: F; remaining: number }> = [];

	add(fault: F): void {
		this.entries.push({ fault, remaining: fault.times ?? 1 });
	}

	clear(): void {
		this.entries.length = 0;
	}

	get size(): number {
		return this.entries.length;
	}

	/** The first fault that matches and has uses left; consumes one use. */
	take(matches: (fault: F) => boolean): F | undefined {
		const idx = this.entries.findIndex(({ fault }) => matches(fault));
		if (idx < 0) return undefined;
		const entry = this.entries[idx];
		if (--entry.remaining <= 0) this.entries.splice(idx, 1);
		return entry.fault;
	}
}
