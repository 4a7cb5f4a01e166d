// API: POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate
import type { CybereasonApiClient } from '../transport';
import type { IsolationResponse, Sensor, SensorsQueryResponse } from '../types';
import type { ApiCall } from './call';

/** Where a sensor command isolates machines; dry runs show it as the request they would have sent. */
export const ISOLATE_ENDPOINT = {
	method: 'POST',
	path: '/rest/monitor/global/commands/isolate',
} as const;

const SENSOR_QUERY_LIMIT = 1000;

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

export async function cybereasonApiQuerySensors(
	client: CybereasonApiClient,
	filters: SensorFilter[],
	call: ApiCall = {},
): Promise<Sensor[]> {
	const answer = await client.request<SensorsQueryResponse | undefined>({
		method: 'POST',
		path: '/rest/sensors/query',
		body: { limit: SENSOR_QUERY_LIMIT, offset: 0, filters: filters.map((f) => ({ ...f })) },
		idempotent: true,
		operation: call.operation ?? 'query the sensors',
		itemIndex: call.itemIndex,
	});
	return Array.isArray(answer?.sensors) ? answer.sensors : [];
}

/**
 * Never retried (a lost answer is resolved by reading the sensors' `isolated` flag). A console that knows none of
 * the pylumIds answers 400 with `status: NO_MATCHING_SENSORS`, which the error carries as cybereasonStatus.
 */
export async function cybereasonApiIsolate(
	client: CybereasonApiClient,
	command: { pylumIds: string[]; malopId?: string },
	call: ApiCall = {},
): Promise<IsolationResponse> {
	return await client.request<IsolationResponse>({
		...ISOLATE_ENDPOINT,
		body: { ...command, pylumIds: [...command.pylumIds] },
		idempotent: false,
		operation: call.operation ?? 'isolate the machines',
		itemIndex: call.itemIndex,
	});
}
