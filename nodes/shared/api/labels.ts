// API: POST /rest/detection/labels, POST /rest/detection/add-label, POST /rest/detection/update-labels
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type { MalopLabel } from '../types';
import type { ApiCall } from './call';

function isLabel(value: unknown): value is MalopLabel {
	const label = value as MalopLabel;
	return (
		typeof value === 'object' &&
		value !== null &&
		Number.isInteger(label.id) &&
		typeof label.labelText === 'string'
	);
}

const LABELS_ANSWER: AnswerShape = { what: 'a label list', test: (body) => Array.isArray(body) };
const LABEL_ANSWER: AnswerShape = { what: 'the new label (id, labelText)', test: isLabel };

/** Every label of the console (20.1.43+): the body `[]` lists them all, a list of GUIDs those on the Malops. */
export async function cybereasonApiListLabels(
	client: CybereasonApiClient,
	call: ApiCall = {},
): Promise<MalopLabel[]> {
	const answer = await client.request<unknown>({
		method: 'POST',
		path: '/rest/detection/labels',
		body: [],
		idempotent: true,
		operation: call.operation ?? 'list the Malop labels',
		itemIndex: call.itemIndex,
		expect: LABELS_ANSWER,
	});
	return Array.isArray(answer) ? answer.filter(isLabel) : [];
}

/** Creates a label; an existing text is refused (400). Undefined when the answer holds no label. */
export async function cybereasonApiAddLabel(
	client: CybereasonApiClient,
	labelText: string,
	call: ApiCall = {},
): Promise<MalopLabel | undefined> {
	const answer = await client.request<unknown>({
		method: 'POST',
		path: '/rest/detection/add-label',
		body: { labelText },
		idempotent: false,
		operation: call.operation ?? `create the Malop label "${labelText}"`,
		itemIndex: call.itemIndex,
		expect: LABEL_ANSWER,
	});
	return isLabel(answer) ? answer : undefined;
}

export interface LabelUpdate {
	malopGuids: string[];
	addedLabels: number[];
	removedLabels: number[];
}

/**
 * The bare text `success` (not JSON; the docs print `{"success"}`), whatever the Content-Type says, as forensic-security
 * reads it; a JSON `{status: "SUCCESS"}` would do as well.
 */
export function confirmsSuccess(answer: unknown): boolean {
	if (typeof answer === 'string') return /^\{?\s*"?success"?\s*\}?$/i.test(answer.trim());
	const status = (answer as { status?: unknown } | undefined)?.status;
	return typeof status === 'string' && status.toUpperCase() === 'SUCCESS';
}

/** One change for many Malops at once, all or nothing (an unknown Malop or label id is a 400). Sent once. */
export async function cybereasonApiUpdateLabels(
	client: CybereasonApiClient,
	update: LabelUpdate,
	call: ApiCall = {},
): Promise<unknown> {
	return await client.request<unknown>({
		method: 'POST',
		path: '/rest/detection/update-labels',
		body: {
			malopGuids: [...update.malopGuids],
			addedLabels: [...update.addedLabels],
			removedLabels: [...update.removedLabels],
		},
		textAnswer: true,
		idempotent: false,
		operation: call.operation ?? `update the labels of ${update.malopGuids.length} Malop(s)`,
		itemIndex: call.itemIndex,
	});
}
