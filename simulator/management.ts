// Dispatch of the Malop management routes (status, comments, labels, the mmng/v2 list) and of the
// deprecated-inbox answer; the handlers live in status.ts, comments.ts, labels.ts and mmng.ts.
import { addComment, getComments } from './comments';
import { addLabel, deleteLabel, listLabels, updateLabels } from './labels';
import { listMalops } from './mmng';
import { MANAGEMENT_DEFAULTS, type ManagementOptions } from './model';
import { json, notFound, type SimRequest, type SimResponse } from './respond';
import type { Session } from './sessions';
import type { SimulatorState } from './state';
import { crimesStatus, malopMetadata, putInvestigationStatus } from './status';

const CHOICES: { [K in keyof ManagementOptions]?: ReadonlyArray<ManagementOptions[K]> } = {
	managementStatusApi: ['supported', 'failureEnvelope', 'badRequest'],
	investigationStatusSpelling: ['Reopened', 'ReOpened'],
	statusChangeBumpsLastUpdate: [true, false],
	commentAnswer: ['comment', 'empty'],
	successContentType: ['json', 'text'],
	deprecatedInbox: [false, 'notFound', 'errorEnvelope'],
	mmngOffset: ['item', 'page'],
	mmngOverPageSize: ['clamp', 'reject'],
};

/** Smallest value of the numeric options; mmngMaxResultWindow may also be null (no window). */
const MINIMUMS: { [K in keyof ManagementOptions]?: number } = {
	mmngMaxPageSize: 1,
	mmngMaxResultWindow: 0,
	mmngTotalHitsSurplus: 0,
};

function optionError(key: keyof ManagementOptions, value: unknown): string | undefined {
	const choices = CHOICES[key] as readonly unknown[] | undefined;
	if (choices) {
		return choices.includes(value)
			? undefined
			: `${key} must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
	}
	if (key === 'mmngMaxResultWindow' && value === null) return undefined;
	const min = MINIMUMS[key] ?? 0;
	return Number.isInteger(value) && (value as number) >= min
		? undefined
		: `${key} must be an integer >= ${min}`;
}

/** The management options found in `input` (other keys are left alone), or the first error. */
export function parseManagementOptions(
	input: Record<string, unknown>,
): Partial<ManagementOptions> | string {
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(MANAGEMENT_DEFAULTS) as Array<keyof ManagementOptions>) {
		if (input[key] === undefined) continue;
		const error = optionError(key, input[key]);
		if (error) return error;
		out[key] = input[key];
	}
	return out as Partial<ManagementOptions>;
}

/** Cybereason said the inbox may stop working after 23.2.307: gone (404), or a FAILURE envelope. */
function deprecatedInbox(req: SimRequest, state: SimulatorState): SimResponse | undefined {
	switch (state.management.deprecatedInbox) {
		case 'notFound':
			return notFound(req.method, req.path);
		case 'errorEnvelope':
			return json(200, {
				status: 'FAILURE',
				message:
					'The detection inbox API is deprecated on this console: list Malops with POST /rest/mmng/v2/malops',
				data: null,
			});
		default:
			return undefined;
	}
}

/** The one path segment after `prefix`, decoded; undefined when the path has more or none. */
function pathParam(path: string, prefix: string): string | undefined {
	if (!path.startsWith(prefix)) return undefined;
	const rest = path.slice(prefix.length);
	if (rest === '' || rest.includes('/')) return undefined;
	try {
		return decodeURIComponent(rest);
	} catch {
		return undefined;
	}
}

function postRoute(req: SimRequest, state: SimulatorState, user: string, session: Session) {
	switch (req.path) {
		case '/rest/crimes/status':
			return crimesStatus(req.body, state, user);
		case '/rest/crimes/get-comments':
			return getComments(req, state);
		case '/rest/detection/labels':
			return listLabels(req.body, state);
		case '/rest/detection/add-label':
			return addLabel(req.body, state);
		case '/rest/detection/update-labels':
			return updateLabels(req.body, state);
		case '/rest/labels/delete':
			return deleteLabel(req.body, state);
		case '/rest/mmng/v2/malops':
			return listMalops(req.body, state);
	}
	const guid = pathParam(req.path, '/rest/crimes/comment/');
	return guid === undefined ? undefined : addComment(req, state, session, guid);
}

/** Undefined when the request is none of these routes (routes.ts goes on). */
export function handleManagement(
	req: SimRequest,
	state: SimulatorState,
	session: Session,
): SimResponse | undefined {
	const user = session.username ?? '';
	if (req.path === '/rest/detection/inbox') return deprecatedInbox(req, state);
	if (req.method === 'POST') return postRoute(req, state, user, session);
	if (req.method === 'PUT') {
		const guid = pathParam(req.path, '/rest/mmng/v2/malops/');
		return guid === undefined ? undefined : putInvestigationStatus(req.body, state, guid, user);
	}
	if (req.method === 'GET') {
		const guid = pathParam(req.path, '/rest/mmng/v2/malops/metadata/');
		return guid === undefined ? undefined : malopMetadata(state, guid);
	}
	return undefined;
}
