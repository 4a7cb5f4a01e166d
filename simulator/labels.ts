// API: POST /rest/detection/labels, POST /rest/detection/add-label, POST /rest/detection/update-labels,
//      POST /rest/labels/delete
// No labels answer is public. The shapes here come from forensic-security: add-label answers a label it
// reads `labelText` from, the list holds objects equal to that answer, update-labels and labels/delete
// answer the bare text `success` (not JSON; the docs print it as `{"success"}`), and labels/delete says
// `success` even for an unknown id. The object is the mmng/v2 sample's `{id, labelText, count, empty}`.
import type { SimMalop } from './model';
import { badRequest, isRecord, json, JSON_TYPE, type SimResponse } from './respond';
import type { SimulatorState } from './state';

interface SimLabel {
	id: number;
	labelText: string;
}

interface LabelView extends SimLabel {
	/** Malops carrying the label. */
	count: number;
	empty: boolean;
}

/**
 * The console's label list. Malops carry label texts (the inbox shows texts); ids are handed out in
 * order of first sight, from 101 up, so a label set through updateMalop gets one too.
 */
export class LabelRegistry {
	private readonly byText = new Map<string, SimLabel>();
	private readonly byId = new Map<number, SimLabel>();
	private nextId = 101;

	constructor(malops: Iterable<SimMalop>) {
		for (const m of malops) for (const text of m.labels) this.ensure(text);
	}

	ensure(labelText: string): SimLabel {
		let label = this.byText.get(labelText);
		if (!label) {
			label = { id: this.nextId++, labelText };
			this.byText.set(labelText, label);
			this.byId.set(label.id, label);
		}
		return label;
	}

	get(id: number): SimLabel | undefined {
		return this.byId.get(id);
	}

	has(labelText: string): boolean {
		return this.byText.has(labelText);
	}

	delete(id: number): SimLabel | undefined {
		const label = this.byId.get(id);
		if (label) {
			this.byId.delete(id);
			this.byText.delete(label.labelText);
		}
		return label;
	}

	ids(texts: string[]): number[] {
		return texts.map((t) => this.ensure(t).id);
	}

	/** Every label, including texts set on a Malop directly (state.updateMalop) and not seen yet. */
	all(malops: Iterable<SimMalop>): SimLabel[] {
		for (const m of malops) this.ids(m.labels);
		return [...this.byId.values()];
	}
}

/** Label text -> number of Malops carrying it, counted once per answer. */
export function labelCounts(malops: Iterable<SimMalop>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const m of malops) for (const t of m.labels) counts.set(t, (counts.get(t) ?? 0) + 1);
	return counts;
}

export function labelView(label: SimLabel, counts: Map<string, number>): LabelView {
	return { ...label, count: counts.get(label.labelText) ?? 0, empty: false };
}

/** The literal `success` that update-labels and labels/delete answer; Content-Type per option. */
function success(state: SimulatorState): SimResponse {
	const type =
		state.management.successContentType === 'json' ? JSON_TYPE : 'text/plain;charset=UTF-8';
	return { status: 200, headers: { 'Content-Type': type }, body: 'success' };
}

/** `[]` (or no body) lists every label; a list of Malop GUIDs lists the labels on those (unknown GUIDs match nothing). */
export function listLabels(body: unknown, state: SimulatorState): SimResponse {
	if (body !== undefined && (!Array.isArray(body) || body.some((g) => typeof g !== 'string'))) {
		return badRequest('The body must be a list of Malop GUIDs');
	}
	const counts = labelCounts(state.malops.values());
	const guids = (body as string[] | undefined) ?? [];
	let labels = state.labels.all(state.malops.values());
	if (guids.length > 0) {
		const texts = new Set(guids.flatMap((g) => state.malops.get(g)?.labels ?? []));
		labels = labels.filter((l) => texts.has(l.labelText));
	}
	return json(
		200,
		labels.map((l) => labelView(l, counts)),
	);
}

export function addLabel(body: unknown, state: SimulatorState): SimResponse {
	const text = isRecord(body) ? body.labelText : undefined;
	if (typeof text !== 'string' || text.trim() === '') return badRequest('labelText is required');
	if (state.labels.has(text)) return badRequest(`Label "${text}" already exists`);
	return json(200, labelView(state.labels.ensure(text), new Map()));
}

function idList(value: unknown): number[] | undefined {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || value.some((v) => !Number.isInteger(v))) return undefined;
	return value as number[];
}

/** All or nothing: an unknown Malop or label id changes no Malop. */
export function updateLabels(body: unknown, state: SimulatorState): SimResponse {
	if (!isRecord(body)) return badRequest('Request body must be a JSON object');
	const { malopGuids } = body;
	if (
		!Array.isArray(malopGuids) ||
		malopGuids.length === 0 ||
		malopGuids.some((g) => typeof g !== 'string')
	)
		return badRequest('malopGuids must be a non-empty list of Malop GUIDs');
	const added = idList(body.addedLabels);
	const removed = idList(body.removedLabels);
	if (!added || !removed)
		return badRequest('addedLabels and removedLabels must be lists of label ids');
	const unknownMalop = (malopGuids as string[]).find((g) => !state.malops.has(g));
	if (unknownMalop) return badRequest(`Unknown Malop ${unknownMalop}`);
	const unknownLabel = [...added, ...removed].find((id) => !state.labels.get(id));
	if (unknownLabel !== undefined) return badRequest(`Unknown label id ${unknownLabel}`);
	const both = added.find((id) => removed.includes(id));
	if (both !== undefined) return badRequest(`Label id ${both} is both added and removed`);

	const addTexts = added.map((id) => state.labels.get(id)?.labelText as string);
	const removeTexts = new Set(removed.map((id) => state.labels.get(id)?.labelText as string));
	for (const guid of new Set(malopGuids as string[])) {
		const m = state.malops.get(guid) as SimMalop;
		const labels = m.labels.filter((t) => !removeTexts.has(t));
		for (const t of addTexts) if (!labels.includes(t)) labels.push(t);
		if (labels.length !== m.labels.length || labels.some((t, i) => t !== m.labels[i]))
			state.updateMalopMetadata(guid, { labels });
	}
	return success(state);
}

export function deleteLabel(body: unknown, state: SimulatorState): SimResponse {
	const id = isRecord(body) ? body.id : undefined;
	if (!Number.isInteger(id)) return badRequest('id (a label id) is required');
	const label = state.labels.delete(id as number);
	if (label) {
		for (const m of state.malops.values()) {
			if (m.labels.includes(label.labelText))
				state.updateMalopMetadata(m.guid, {
					labels: m.labels.filter((t) => t !== label.labelText),
				});
		}
	}
	return success(state);
}
