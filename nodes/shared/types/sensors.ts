// Sensors: POST /rest/sensors/query and the isolate / un-isolate commands.
export interface Sensor {
	sensorId: string;
	pylumId: string;
	guid: string;
	machineName: string;
	fqdn?: string;
	internalIpAddress?: string;
	externalIpAddress?: string;
	status: 'Online' | 'Offline' | 'Stale' | 'Archived' | string;
	isolated: boolean | string;
	osType?: string;
	[key: string]: unknown;
}

export interface SensorsQueryRequest {
	limit: number;
	offset: number;
	sortDirection?: 'ASC' | 'DESC';
	sortingFieldName?: string;
	filters?: Array<{ fieldName: string; operator: string; values: string[] }>;
}

export interface SensorsQueryResponse {
	totalResults: number;
	hasMoreResults: boolean | string;
	sensorsStatus?: Record<string, unknown>;
	sensors: Sensor[];
}

/** POST /rest/monitor/global/commands/isolate: pylumId -> "Succeeded" | "Primed" | "UnknownProbe" | ... */
export type IsolationResponse = Record<string, string>;
