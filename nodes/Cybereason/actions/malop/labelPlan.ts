// Pure: the label changes of many input items -> as few update-labels calls as possible. The console changes
// many Malops in one call, but with one list of labels, so items are grouped by the labels they name.

/** Label names from a parameter: separated by commas or new lines, trimmed, each once, in the order given. */
export function parseLabels(value: unknown): string[] {
	const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
	return [
		...new Set(
			list
				.flatMap((entry) => entry.split(/[,\n\r]+/))
				.map((name) => name.trim())
				.filter((name) => name !== ''),
		),
	];
}

export interface LabelRequest {
	itemIndex: number;
	malopId: string;
	labels: string[];
}

export interface LabelBatch {
	labels: string[];
	/** Each Malop once, in first-seen order. */
	malopGuids: string[];
	itemIndexes: number[];
}

/** One batch per distinct set of labels, in the order the sets first appear; items keep their order inside. */
export function planLabelBatches(requests: readonly LabelRequest[]): LabelBatch[] {
	const batches = new Map<string, LabelBatch>();
	for (const request of requests) {
		const key = JSON.stringify([...request.labels].sort());
		let batch = batches.get(key);
		if (!batch) {
			batch = { labels: [...request.labels].sort(), malopGuids: [], itemIndexes: [] };
			batches.set(key, batch);
		}
		if (!batch.malopGuids.includes(request.malopId)) batch.malopGuids.push(request.malopId);
		batch.itemIndexes.push(request.itemIndex);
	}
	return [...batches.values()];
}

/** Label texts the console does not know (matched exactly, as the console stores them). */
export function unknownLabels(
	labels: readonly string[],
	known: ReadonlyMap<string, number>,
): string[] {
	return labels.filter((label) => !known.has(label));
}
