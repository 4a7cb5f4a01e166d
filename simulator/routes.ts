// Dispatch of the console's /rest API. Every route sits behind the session check, as on the real
// console, whose security filter runs before routing (an unknown /rest path without a session is
// still answered as "not logged in").
import { visualSearch } from './hunting';
import { crimesUnified, customRemediation, detectionDetails, inbox } from './malop-routes';
import { handleManagement } from './management';
import type { RemediationRecord } from './remediation';
import { badRequest, json, notFound, type SimRequest, type SimResponse } from './respond';
import { isolate, querySensors } from './sensors';
import type { Session } from './sessions';
import type { SimulatorState } from './state';

export interface RouteConfig {
	maxTotalResultLimit: number;
	initialStatusLog: 'empty' | 'pending';
	statusShape: 'array' | 'map';
	progressRequiresInitiator: boolean;
}

function segments(path: string, prefix: string): string[] | undefined {
	if (!path.startsWith(prefix)) return undefined;
	return path
		.slice(prefix.length)
		.split('/')
		.map((s) => decodeURIComponent(s));
}

const MACHINE_STATE_ROUTES = new Set([
	'/rest/detection/inbox',
	'/rest/detection/details',
	'/rest/sensors/query',
	'/rest/visualsearch/query/simple',
	'/rest/monitor/global/commands/isolate',
	'/rest/monitor/global/commands/un-isolate',
	'/rest/mmng/v2/malops',
]);

export function handleRest(
	req: SimRequest,
	state: SimulatorState,
	cfg: RouteConfig,
	session: Session,
): SimResponse {
	const { method, path } = req;
	const now = state.clock.now();
	// Remediations move on lazily, when read; answers that show machine state (isolated) must see them move too.
	if (MACHINE_STATE_ROUTES.has(path)) state.engine.advanceAll(now);
	const managed = handleManagement(req, state, session);
	if (managed) return managed;
	if (method === 'POST') {
		switch (path) {
			case '/rest/crimes/unified':
				return crimesUnified(req, state, cfg.maxTotalResultLimit);
			case '/rest/visualsearch/query/simple':
				return visualSearch(req, state, cfg.maxTotalResultLimit);
			case '/rest/detection/inbox':
				return inbox(req, state);
			case '/rest/detection/custom-remediation':
				return customRemediation(req, state);
			case '/rest/detection/details':
				return detectionDetails(req, state);
			case '/rest/sensors/query':
				return querySensors(req.body, state.sensorContext());
			case '/rest/monitor/global/commands/isolate':
				return isolate(req.body, state.sensorContext(), true);
			case '/rest/monitor/global/commands/un-isolate':
				return isolate(req.body, state.sensorContext(), false);
			case '/rest/remediate':
				return remediate(req, state, cfg, session, now);
			case '/rest/classification/update':
				return req.isJson
					? state.hunting.reputations.update(req.body)
					: badRequest('Request body is not valid JSON');
			case '/rest/classification/reputations/list':
				return state.hunting.reputations.list(req.body);
		}
		const abort = segments(path, '/rest/remediate/abort/');
		if (abort?.length === 2) {
			const record = findRemediation(state, abort[0], abort[1]);
			if (!record) return badRequest(`Unknown remediation ${abort[1]} for Malop ${abort[0]}`);
			state.engine.abort(record, now);
			return json(200, state.engine.render(record));
		}
	}
	if (method === 'GET') {
		if (path === '/rest/classification/download') return state.hunting.reputations.download();
		const progress = segments(path, '/rest/remediate/progress/');
		if (progress?.length === 3) {
			const [user, malopId, remediationId] = progress;
			const record = findRemediation(state, malopId, remediationId);
			if (!record) return badRequest(`Unknown remediation ${remediationId} for Malop ${malopId}`);
			// Not known whether the console insists on the initiating user here; off by default.
			if (cfg.progressRequiresInitiator && user !== record.initiatingUser) {
				return badRequest(`User ${user} did not initiate remediation ${remediationId}`);
			}
			return json(200, state.engine.render(record));
		}
		const status = segments(path, '/rest/remediate/status/');
		if (status?.length === 1) {
			const [malopId] = status;
			if (!state.malops.has(malopId)) return badRequest(`Malop ID is not valid: ${malopId}`);
			const records = [...state.remediations.values()].filter((r) => r.malopId === malopId);
			const rendered = records.map((r) => {
				state.engine.advance(r, now);
				return state.engine.render(r);
			});
			// The reference does not show this answer: an array of remediations, or a map by remediationId.
			return json(
				200,
				cfg.statusShape === 'map'
					? Object.fromEntries(rendered.map((r) => [r.remediationId, r]))
					: rendered,
			);
		}
	}
	return notFound(method, path);
}

function findRemediation(
	state: SimulatorState,
	malopId: string,
	remediationId: string,
): RemediationRecord | undefined {
	const record = state.remediation(remediationId);
	// A remediation started without a malopId is found under any Malop path segment.
	if (!record || (record.malopId !== null && record.malopId !== malopId)) return undefined;
	return record;
}

function remediate(
	req: SimRequest,
	state: SimulatorState,
	cfg: RouteConfig,
	session: Session,
	now: number,
): SimResponse {
	if (!req.isJson) return badRequest('Request body is not valid JSON');
	const record = state.engine.create(req.body, session.username ?? '', now);
	if (typeof record === 'string') return badRequest(record);
	return json(200, state.engine.render(record, cfg.initialStatusLog === 'pending'));
}
