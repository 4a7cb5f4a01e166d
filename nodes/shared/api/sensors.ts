// API: POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate, .../un-isolate
import { isRecord } from '../malops/values';
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type { IsolationResponse, Sensor, SensorsQueryResponse } from '../types';
import type { ApiCall } from './call';

/** Where a sensor command isolates machines; dry runs show it as the request they would have sent. */
export const ISOLATE_ENDPOINT = {
	method: 'POST',
	path: '/rest/monitor/global/commands/isolate',
} as const;

/** Where a sensor command lifts the isolation; same body and answer as isolate (Rapid7's mock serves one file for both). */
export const UNISOLATE_ENDPOINT = {
	method: 'POST',
	path: '/rest/monitor/global/commands/un-isolate',
} as const;

/** The largest page clients ask for (Rapid7, Splunk SOAR), and the console's default. */
export const SENSOR_QUERY_LIMIT = 1000;

/** `{sensors: [...]}`, even when none match (every capture has the list). */
const SENSORS_ANSWER: AnswerShape = {
	what: 'a sensor list (sensors)',
	test: (body) => isRecord(body) && Array.isArray(body.sensors),
};

export interface SensorFilter {
	fieldName: string;
	operator: string;
	values: string[];
}

/** Sensors that are not archived (an archived sensor of a reinstalled machine never counts). */
export const NOT_ARCHIVED: SensorFilter = {
	fieldName: 'status',
	operator: 'NotEquals',
	values: ['Archived'],
};

export interface SensorsPageRequest {
	filters: SensorFilter[];
	/** Sensors per page. */
	limit: number;
	/** A page index, not an item offset (forensic-security, Splunk SOAR and Rapid7's docs page this way). */
	offset: number;
	sortingFieldName?: string;
	sortDirection?: 'ASC' | 'DESC';
}

export interface SensorsPage {
	sensors: Sensor[];
	totalResults?: number;
	/** A JSON boolean, or "true"/"false" in some captures. */
	hasMoreResults?: boolean | string;
}

export async function cybereasonApiSensorsPage(
	client: CybereasonApiClient,
	page: SensorsPageRequest,
	call: ApiCall = {},
): Promise<SensorsPage> {
	const { filters, ...rest } = page;
	const answer = await client.request<SensorsQueryResponse | undefined>({
		method: 'POST',
		path: '/rest/sensors/query',
		body: { ...rest, filters: filters.map((f) => ({ ...f })) },
		idempotent: true,
		operation: call.operation ?? 'query the sensors',
		itemIndex: call.itemIndex,
		expect: SENSORS_ANSWER,
	});
	const total = Number(answer?.totalResults);
	return {
		sensors: Array.isArray(answer?.sensors) ? answer.sensors : [],
		...(Number.isFinite(total) ? { totalResults: total } : {}),
		...(answer?.hasMoreResults !== undefined ? { hasMoreResults: answer.hasMoreResults } : {}),
	};
}

/** The first page of up to SENSOR_QUERY_LIMIT sensors: enough for lookups by GUID, name or pylumId. */
export async function cybereasonApiQuerySensors(
	client: CybereasonApiClient,
	filters: SensorFilter[],
	call: ApiCall = {},
): Promise<Sensor[]> {
	const page = await cybereasonApiSensorsPage(
		client,
		{ filters, limit: SENSOR_QUERY_LIMIT, offset: 0 },
		call,
	);
	return page.sensors;
}

export interface SensorCommand {
	pylumIds: string[];
	malopId?: string;
}

async function sensorCommand(
	client: CybereasonApiClient,
	endpoint: typeof ISOLATE_ENDPOINT | typeof UNISOLATE_ENDPOINT,
	command: SensorCommand,
	operation: string,
	call: ApiCall,
): Promise<IsolationResponse> {
	return await client.request<IsolationResponse>({
		...endpoint,
		body: { ...command, pylumIds: [...command.pylumIds] },
		idempotent: false,
		operation: call.operation ?? operation,
		itemIndex: call.itemIndex,
	});
}

/**
 * Never retried (a lost answer is resolved by reading the sensors' `isolated` flag). A console that knows none of
 * the pylumIds answers 400 with `status: NO_MATCHING_SENSORS`, which the error carries as cybereasonStatus.
 */
export async function cybereasonApiIsolate(
	client: CybereasonApiClient,
	command: SensorCommand,
	call: ApiCall = {},
): Promise<IsolationResponse> {
	return await sensorCommand(client, ISOLATE_ENDPOINT, command, 'isolate the machines', call);
}

/**
 * Same rules and answer as isolate (`Succeeded`, `Primed` for an offline sensor, ...). XSOAR, FortiSOAR and Google
 * SecOps send no malopId; Rapid7 and Splunk SOAR do.
 */
export async function cybereasonApiUnisolate(
	client: CybereasonApiClient,
	command: SensorCommand,
	call: ApiCall = {},
): Promise<IsolationResponse> {
	return await sensorCommand(client, UNISOLATE_ENDPOINT, command, 'un-isolate the machines', call);
}
