// API: POST /rest/crimes/unified, POST /rest/detection/inbox, POST /rest/mmng/v2/malops,
//      POST /rest/detection/details, POST /rest/detection/custom-remediation
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../malops/values';
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type {
	CrimesUnifiedFilter,
	CrimesUnifiedRequest,
	CrimesUnifiedResponse,
	CustomRemediationResponse,
	InboxMalop,
	InboxRequest,
	InboxResponse,
	MalopElementType,
	MmngRequest,
	MmngResponse,
} from '../types';
import type { ApiCall } from './call';

/** What clients ask crimes/unified for at most (docs, XSOAR, Rapid7); Splunk saw errors far above it. */
export const CONSOLE_MAX_RESULTS = 10_000;
/** The console's own query timeout, sent in the body; the HTTP timeout leaves it room to answer. */
export const QUERY_TIMEOUT_MS = 120_000;

/**
 * A query in the element-data envelope (crimes/unified, Visual Search): a read, retried by the transport, whose
 * HTTP timeout leaves the console room to answer within its own query timeout. The answer carries its result map
 * even when it lists nothing; anything less is an error naming the endpoint (`what` the map holds).
 */
export async function cybereasonApiElementQuery<T>(
	client: CybereasonApiClient,
	query: { path: string; body: object; operation: string; what: string },
	call: ApiCall,
): Promise<T> {
	return await client.request<T>({
		method: 'POST',
		path: query.path,
		body: query.body as IDataObject,
		idempotent: true,
		operation: call.operation ?? query.operation,
		itemIndex: call.itemIndex,
		timeoutMs: QUERY_TIMEOUT_MS + 30_000,
		expect: {
			what: `${query.what} (data.resultIdToElementDataMap)`,
			test: (body) =>
				isRecord(body) && isRecord(body.data) && isRecord(body.data.resultIdToElementDataMap),
		},
	});
}

// What each answer always carries, even when it lists nothing; anything less is an error naming the endpoint.
/** `{malops: [...]}`; a bare list of entries (one capture) is read too, but an empty one says nothing. */
const INBOX_ANSWER: AnswerShape = {
	what: 'a Malop list (malops)',
	test: (body) =>
		(isRecord(body) && Array.isArray(body.malops)) || (Array.isArray(body) && body.length > 0),
};
/** Only SUCCESS with its page: SEKOIA's and Vulture's clients stop on any other status, so do we (with an error). */
const MMNG_ANSWER: AnswerShape = {
	what: 'a Malop list (status SUCCESS, data.data, data.totalHits)',
	test: (body) =>
		isRecord(body) &&
		body.status === 'SUCCESS' &&
		isRecord(body.data) &&
		Array.isArray(body.data.data) &&
		Number.isFinite(Number(body.data.totalHits)),
};
/**
 * Cybereason's support: the inbox call is deprecated and may stop working after 23.2.307. Such a console answers
 * it 404 or with a FAILURE envelope; the error says which source replaces it.
 */
const INBOX_SUCCESSOR = {
	hint: 'This console no longer serves the detection inbox: switch Source to "Malops Management"',
	description:
		'Cybereason deprecated POST /rest/detection/inbox (it may stop working after console version 23.2.307). Current consoles list Malops through POST /rest/mmng/v2/malops, which the Malops Management source reads, with the same filters and more fields.',
};
const DETAILS_ANSWER: AnswerShape = {
	what: 'the Malop (guid)',
	test: (body) => isRecord(body) && typeof body.guid === 'string',
};
const CUSTOM_REMEDIATION_ANSWER: AnswerShape = {
	what: 'a list of remediation actions (data)',
	test: (body) => isRecord(body) && Array.isArray(body.data),
};

export interface CrimesQuery {
	totalResultLimit: number;
	perFeatureLimit: number;
	filters?: CrimesUnifiedFilter[];
	guidList?: string[];
}

/** One crimes/unified query: one requestedType per request, as the docs ask (the platform builds Malops from both). */
export function crimesUnifiedBody(
	type: MalopElementType,
	query: CrimesQuery,
): CrimesUnifiedRequest {
	const step: CrimesUnifiedRequest['queryPath'][number] = {
		requestedType: type,
		filters: query.filters ?? [],
		result: true,
	};
	if (query.guidList) step.guidList = query.guidList;
	return {
		totalResultLimit: query.totalResultLimit,
		perGroupLimit: CONSOLE_MAX_RESULTS,
		perFeatureLimit: query.perFeatureLimit,
		templateContext: 'OVERVIEW',
		queryPath: [step],
		queryTimeout: QUERY_TIMEOUT_MS,
	};
}

export async function cybereasonApiCrimesUnified(
	client: CybereasonApiClient,
	type: MalopElementType,
	query: CrimesQuery,
	call: ApiCall = {},
): Promise<CrimesUnifiedResponse> {
	return await cybereasonApiElementQuery<CrimesUnifiedResponse>(
		client,
		{
			path: '/rest/crimes/unified',
			body: crimesUnifiedBody(type, query),
			operation: `query ${type} Malops`,
			what: 'a Malop list',
		},
		call,
	);
}

export async function cybereasonApiDetectionInbox(
	client: CybereasonApiClient,
	window: InboxRequest,
	call: ApiCall = {},
): Promise<InboxResponse | InboxMalop[]> {
	return await client.request<InboxResponse | InboxMalop[]>({
		method: 'POST',
		path: '/rest/detection/inbox',
		body: { ...window },
		idempotent: true,
		operation: call.operation ?? 'list Malops from the detection inbox',
		itemIndex: call.itemIndex,
		timeoutMs: QUERY_TIMEOUT_MS,
		expect: INBOX_ANSWER,
		successor: INBOX_SUCCESSOR,
	});
}

/** One page of an mmng/v2 Malop list. */
export interface MmngPage {
	/** Inclusive bounds on lastUpdateTime, epoch ms. */
	from: number;
	to: number;
	pageSize: number;
	/** An item offset (forensic-security, Vulture, Cybereason's Splunk add-on). */
	offset: number;
	order: 'asc' | 'desc';
	/** Cybereason's spelling of each value; empty lists are left out. */
	filter: { status?: string[]; investigationStatus?: string[]; severity?: string[] };
}

/** What SEKOIA and forensic-security send: every group (`[]`), sorted on LastUpdateTime, `filter: {}` when none. */
export function malopsManagementBody(page: MmngPage): MmngRequest {
	const malop: NonNullable<MmngRequest['filter']['malop']> = {};
	for (const [key, values] of Object.entries(page.filter) as Array<
		[keyof MmngPage['filter'], string[] | undefined]
	>) {
		if (values && values.length > 0) malop[key] = [...values];
	}
	return {
		search: {},
		range: { from: page.from, to: page.to },
		pagination: { pageSize: page.pageSize, offset: page.offset },
		federation: { groups: [] },
		sort: [{ field: 'LastUpdateTime', order: page.order }],
		filter: Object.keys(malop).length > 0 ? { malop } : {},
	};
}

export async function cybereasonApiMalopsManagement(
	client: CybereasonApiClient,
	page: MmngPage,
	call: ApiCall = {},
): Promise<MmngResponse> {
	return await client.request<MmngResponse>({
		method: 'POST',
		path: '/rest/mmng/v2/malops',
		body: malopsManagementBody(page) as unknown as IDataObject,
		idempotent: true,
		operation: call.operation ?? 'list Malops from Malops management (mmng/v2)',
		itemIndex: call.itemIndex,
		timeoutMs: QUERY_TIMEOUT_MS,
		expect: MMNG_ANSWER,
	});
}

/**
 * One Malop as the inbox models it (20.1+), for Endpoint Protection Malops too, plus `processSuspects`. An unknown
 * GUID is a 400 with the text `Malop ID is not valid`.
 */
export async function cybereasonApiDetectionDetails(
	client: CybereasonApiClient,
	malopId: string,
	call: ApiCall = {},
): Promise<InboxMalop> {
	return await client.request<InboxMalop>({
		method: 'POST',
		path: '/rest/detection/details',
		body: { malopGuid: malopId },
		idempotent: true,
		operation: call.operation ?? `read the details of Malop ${malopId}`,
		itemIndex: call.itemIndex,
		expect: DETAILS_ANSWER,
	});
}

/** The actions the console offers for these Malops' machines; EDR and EPP Malops go in different lists. */
export async function cybereasonApiCustomRemediation(
	client: CybereasonApiClient,
	malops: { processMalopGuids: string[]; detectionEventMalopGuids: string[] },
	call: ApiCall = {},
): Promise<CustomRemediationResponse> {
	return await client.request<CustomRemediationResponse>({
		method: 'POST',
		path: '/rest/detection/custom-remediation',
		body: { ...malops },
		// It lists the actions the console offers; it runs none of them.
		idempotent: true,
		operation: call.operation ?? 'list the remediation actions Cybereason offers',
		itemIndex: call.itemIndex,
		expect: CUSTOM_REMEDIATION_ANSWER,
	});
}
