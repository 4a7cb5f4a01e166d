// Visual Search elements and answers in the shape of the public captures (xsoar-machine_outputs,
// xsoar-malop_processes_raw_response), with only what a test needs. Values are strings, as the console sends them.
import { queryAnswerFacts, type QueryAnswerFacts } from '../../../../nodes/shared/malops/elements';
import type { MalopElement, VisualSearchResponse } from '../../../../nodes/shared/types';

type Ref = [guid: string, name: string];

export const sv = (...values: string[]) => ({ totalValues: values.length, values });

function refs(elementType: string, list: Ref[]) {
	return {
		totalValues: list.length,
		elementValues: list.map(([guid, name]) => ({
			elementType,
			guid,
			name,
			hasSuspicions: false,
			hasMalops: false,
		})),
		totalSuspicious: 0,
		totalMalicious: 0,
		guessedTotal: 0,
	};
}

export function element(
	simple: Record<string, string | undefined>,
	links: Record<string, [string, Ref[]]> = {},
	extra: Partial<MalopElement> = {},
): MalopElement {
	const simpleValues: MalopElement['simpleValues'] = {};
	for (const [name, value] of Object.entries(simple)) {
		if (value !== undefined) simpleValues[name] = sv(value);
	}
	const elementValues: MalopElement['elementValues'] = {};
	for (const [name, [type, list]] of Object.entries(links))
		elementValues[name] = refs(type, list) as never;
	return {
		simpleValues,
		elementValues,
		suspicions: {},
		isMalicious: false,
		guidString: '',
		...extra,
	};
}

export function answer(
	elements: Record<string, MalopElement>,
	data: Record<string, unknown> = {},
	envelope: Record<string, unknown> = {},
): VisualSearchResponse {
	const count = Object.keys(elements).length;
	return {
		status: 'SUCCESS',
		message: '',
		...envelope,
		data: {
			resultIdToElementDataMap: elements,
			totalPossibleResults: count,
			queryTerminated: false,
			queryLimits: { totalResultLimit: 10_000, perGroupLimit: 10_000, perFeatureLimit: 100 },
			...data,
		},
	} as VisualSearchResponse;
}

export function facts(
	elements: Record<string, MalopElement>,
	data?: Record<string, unknown>,
): QueryAnswerFacts {
	return queryAnswerFacts(answer(elements, data));
}
