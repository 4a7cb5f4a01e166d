// API: POST /rest/visualsearch/query/simple
// Hunting queries in the shapes public clients send: XSOAR's build_query envelope (customFields, limits,
// queryTimeout, SPECIFIC), its File-by-hash, Machine → processes → Process and MalopProcess → suspects → Process
// paths, and Elastic's hasSuspicions filter. A search is a read: the transport retries it.
import type { CybereasonApiClient } from '../transport';
import type { MalopElementType, VisualSearchResponse } from '../types';
import type { ApiCall } from './call';
import { cybereasonApiElementQuery, QUERY_TIMEOUT_MS } from './malops';

export type HashType = 'md5' | 'sha1';

/** The File feature each hash type is searched by (XSOAR query_file_command). */
const HASH_FACETS: Record<HashType, string> = { md5: 'md5String', sha1: 'sha1String' };

/** Features asked for, per element type; the normalisers in hunting/ read exactly these. */
export const FILE_FIELDS = [
	'elementDisplayName',
	'md5String',
	'sha1String',
	'correctedPath',
	'maliciousClassificationType',
	'markedForPrevention',
	'isSigned',
	'companyName',
	'productName',
	'ownerMachine',
];
/** A Process carries its image hashes only when asked for them (`imageFile.md5String`). */
export const PROCESS_FIELDS = [
	'elementDisplayName',
	'commandLine',
	'pid',
	'creationTime',
	'endTime',
	'isLiveProcess',
	'ownerMachine',
	'calculatedUser',
	'parentProcess',
	'imageFile.md5String',
	'imageFile.sha1String',
	'imageFile.correctedPath',
	'imageFile.maliciousClassificationType',
];
export const MACHINE_FIELDS = [
	'elementDisplayName',
	'pylumId',
	'osType',
	'isActiveProbeConnected',
	'isIsolated',
];

/** Entries per element feature (ownerMachine, parentProcess hold one; nothing asked for holds many). */
const PER_FEATURE_LIMIT = 100;

/** A machine by its GUID (guidList), its name or its sensor's pylumId (Machine features). */
export type MachineRef = { guid: string } | { name: string } | { pylumId: string };

/** What to hunt for; each kind has its one queryPath. */
export type Hunt =
	| { find: 'filesByHash'; hashType: HashType; hashes: string[] }
	| { find: 'filesByName'; fileNames: string[] }
	| { find: 'processes'; processName?: string; machine?: MachineRef; onlyWithSuspicions?: boolean }
	| { find: 'malopProcesses' | 'malopMachines'; malopId: string; malopType: MalopElementType };

export interface VisualSearchFilter {
	facetName: string;
	values: Array<string | boolean>;
	filterType?: string;
}

export interface VisualSearchStep {
	requestedType: string;
	filters: VisualSearchFilter[];
	guidList?: string[];
	connectionFeature?: { elementInstanceType: string; featureName: string };
	isResult?: true;
}

export interface VisualSearchRequest {
	queryPath: VisualSearchStep[];
	customFields: string[];
	totalResultLimit: number;
	perGroupLimit: number;
	perFeatureLimit: number;
	templateContext: 'SPECIFIC' | 'DETAILS';
	queryTimeout: number;
}

/** A step that leads on to the next one through one of its element features. */
function via(
	requestedType: string,
	featureName: string,
	step: Partial<VisualSearchStep> = {},
): VisualSearchStep {
	return {
		requestedType,
		filters: [],
		...step,
		connectionFeature: { elementInstanceType: requestedType, featureName },
	};
}

function result(requestedType: string, filters: VisualSearchFilter[] = []): VisualSearchStep {
	return { requestedType, filters, isResult: true };
}

function processPath(hunt: Extract<Hunt, { find: 'processes' }>): VisualSearchStep[] {
	// XSOAR's query_processes: name and machine as Equals filters without a filterType.
	const filters: VisualSearchFilter[] = [];
	if (hunt.processName !== undefined)
		filters.push({ facetName: 'elementDisplayName', values: [hunt.processName] });
	if (hunt.onlyWithSuspicions === true) filters.push({ facetName: 'hasSuspicions', values: [true] });
	const machine = hunt.machine;
	if (!machine) return [result('Process', filters)];
	const step =
		'guid' in machine
			? { guidList: [machine.guid] }
			: 'name' in machine
				? { filters: [{ facetName: 'elementDisplayName', values: [machine.name] }] }
				: { filters: [{ facetName: 'pylumId', values: [machine.pylumId] }] };
	return [via('Machine', 'processes', step), result('Process', filters)];
}

function pathOf(hunt: Hunt): { path: VisualSearchStep[]; fields: string[] } {
	switch (hunt.find) {
		case 'filesByHash': {
			// XSOAR matches a whole hash with ContainsIgnoreCase: the case of the input does not matter.
			const filter = {
				facetName: HASH_FACETS[hunt.hashType],
				values: [...hunt.hashes],
				filterType: 'ContainsIgnoreCase',
			};
			return { path: [result('File', [filter])], fields: FILE_FIELDS };
		}
		case 'filesByName':
			return {
				path: [
					result('File', [
						{ facetName: 'elementDisplayName', values: [...hunt.fileNames], filterType: 'Equals' },
					]),
				],
				fields: FILE_FIELDS,
			};
		case 'processes':
			return { path: processPath(hunt), fields: PROCESS_FIELDS };
		case 'malopProcesses':
		case 'malopMachines': {
			const processes = hunt.find === 'malopProcesses';
			const malop = via(hunt.malopType, processes ? 'suspects' : 'affectedMachines', {
				guidList: [hunt.malopId],
			});
			return {
				path: [malop, result(processes ? 'Process' : 'Machine')],
				fields: processes ? PROCESS_FIELDS : MACHINE_FIELDS,
			};
		}
	}
}

/**
 * At most `limit` results. perGroupLimit caps every group (all instances of one file hash, all processes of one
 * image hash), so it is the limit too: with the console's default of 100, a hash on 500 machines would show 100.
 * A lookup that needs one instance per hash (a reputation) asks for perGroupLimit 1.
 */
export function visualSearchBody(
	hunt: Hunt,
	limit: number,
	perGroupLimit = limit,
): VisualSearchRequest {
	const { path, fields } = pathOf(hunt);
	return {
		queryPath: path,
		customFields: [...fields],
		totalResultLimit: limit,
		perGroupLimit,
		perFeatureLimit: PER_FEATURE_LIMIT,
		// XSOAR's fetch_malop_processes asks for the Malop's processes with DETAILS.
		templateContext: hunt.find.startsWith('malop') ? 'DETAILS' : 'SPECIFIC',
		queryTimeout: QUERY_TIMEOUT_MS,
	};
}

export async function cybereasonApiVisualSearch(
	client: CybereasonApiClient,
	body: VisualSearchRequest,
	call: ApiCall = {},
): Promise<VisualSearchResponse> {
	const type = body.queryPath[body.queryPath.length - 1].requestedType;
	return await cybereasonApiElementQuery<VisualSearchResponse>(
		client,
		{
			path: '/rest/visualsearch/query/simple',
			body,
			operation: `search Cybereason for ${type}`,
			what: 'a result list',
		},
		call,
	);
}
