// Visual Search bodies as public clients send them, and readers for the element-data answer.
import type { Simulator } from '../../simulator';

import { asRecord, call, type Answer } from './helpers';

export interface Element {
	simpleValues: Record<string, { totalValues: number; values: string[] }>;
	elementValues: Record<
		string,
		{
			totalValues: number;
			elementValues: Array<{ elementType: string; guid: string; name: string }>;
		}
	>;
	suspicions: Record<string, number>;
	isMalicious: boolean | string;
	[key: string]: unknown;
}

/** XSOAR's build_query around a queryPath (limits, queryTimeout, SPECIFIC). */
export function query(queryPath: unknown[], extra: Record<string, unknown> = {}) {
	return {
		queryPath,
		totalResultLimit: 10000,
		perGroupLimit: 100,
		perFeatureLimit: 100,
		templateContext: 'SPECIFIC',
		queryTimeout: 120000,
		...extra,
	};
}

export function filter(facetName: string, values: unknown[], filterType?: string) {
	return filterType ? { facetName, values, filterType } : { facetName, values };
}

/** XSOAR's fetch_malop_processes / malop_processes path: MalopProcess guidList → suspects → Process. */
export function malopProcessesPath(malopGuid: string, processFilters: unknown[] = []) {
	return [
		{
			requestedType: 'MalopProcess',
			filters: [],
			guidList: [malopGuid],
			connectionFeature: { elementInstanceType: 'MalopProcess', featureName: 'suspects' },
		},
		{ requestedType: 'Process', filters: processFilters, isResult: true },
	];
}

export async function search(sim: Simulator, cookie: string, body: unknown): Promise<Answer> {
	return call(sim, 'POST', '/rest/visualsearch/query/simple', { cookie, body });
}

export function dataOf(answer: Answer): Record<string, unknown> {
	return asRecord(asRecord(answer.json).data);
}

export function elementsOf(answer: Answer): Record<string, Element> {
	return dataOf(answer).resultIdToElementDataMap as Record<string, Element>;
}

/** The first value of a simple feature, or undefined when the element does not carry it. */
export function sv(el: Element, feature: string): string | undefined {
	return el.simpleValues[feature]?.values[0];
}

/** The GUIDs an element feature points to. */
export function refs(el: Element, feature: string): string[] {
	return el.elementValues[feature]?.elementValues.map((r) => r.guid) ?? [];
}
