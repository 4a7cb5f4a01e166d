// API: /__sim/* control endpoints for out-of-process tests (e2e runs n8n against a standalone
// simulator). No session needed, never recorded, never faulted. Contract documented in README.md.
import { huntingControl } from './hunting-control';
import { managementControl } from './management-control';
import type { Fault, Outcome, SimMachine } from './model';
import { badRequest, isRecord, json, type SimRequest, type SimResponse } from './respond';
import type { SensorStatus } from './sensors';
import type { MalopPatch, NewMalopSpec, SimulatorState } from './state';

const ROUTE_TEMPLATES: Array<[RegExp, string]> = [
	[
		/^\/rest\/remediate\/progress\/[^/]+\/[^/]+\/[^/]+$/,
		'/rest/remediate/progress/{user}/{malopId}/{remediationId}',
	],
	[/^\/rest\/remediate\/status\/[^/]+$/, '/rest/remediate/status/{malopId}'],
	[/^\/rest\/remediate\/abort\/[^/]+\/[^/]+$/, '/rest/remediate/abort/{malopId}/{remediationId}'],
	[/^\/rest\/crimes\/comment\/[^/]+$/, '/rest/crimes/comment/{malopGuid}'],
	[/^\/rest\/mmng\/v2\/malops\/metadata\/[^/]+$/, '/rest/mmng/v2/malops/metadata/{guid}'],
	[/^\/rest\/mmng\/v2\/malops\/[^/]+$/, '/rest/mmng/v2/malops/{guid}'],
];

function routeKey(method: string, path: string): string {
	const template = ROUTE_TEMPLATES.find(([re]) => re.test(path));
	return `${method} ${template ? template[1] : path}`;
}

function faultFrom(body: Record<string, unknown>): Fault | string {
	if (typeof body.path !== 'string' || body.path === '') return 'path (string) is required';
	const fault: Fault = {
		...(body as unknown as Fault),
		// JSON has no Infinity: "Infinity", null or -1 mean "every matching request".
		times:
			body.times === 'Infinity' || body.times === null || body.times === -1
				? Infinity
				: body.times === undefined
					? 1
					: Number(body.times),
		path: body.regex === true ? new RegExp(body.path) : body.path,
	};
	delete (fault as unknown as Record<string, unknown>).regex;
	return fault;
}

function malopSummary(state: SimulatorState, guid: string) {
	const m = state.malops.get(guid);
	return m ? JSON.parse(JSON.stringify(m)) : undefined;
}

function malopsAction(body: Record<string, unknown>, state: SimulatorState): SimResponse {
	const action = body.action ?? 'add';
	try {
		switch (action) {
			case 'add': {
				const count = body.count === undefined ? 1 : Number(body.count);
				const spec = (isRecord(body.malop) ? body.malop : {}) as NewMalopSpec;
				const added = Array.from({ length: count }, () => state.addMalop({ ...spec }).guid);
				return json(200, { malops: added.map((g) => malopSummary(state, g)) });
			}
			case 'addMachine': {
				if (typeof body.guid !== 'string') return badRequest('guid (Malop GUID) is required');
				const machine = state.addMachineToMalop(
					body.guid,
					isRecord(body.machine) ? (body.machine as Partial<SimMachine>) : undefined,
				);
				return json(200, { machine, malop: malopSummary(state, body.guid) });
			}
			case 'update': {
				if (typeof body.guid !== 'string' || !isRecord(body.patch))
					return badRequest('guid and patch are required');
				state.updateMalop(body.guid, body.patch as MalopPatch);
				return json(200, { malop: malopSummary(state, body.guid) });
			}
			case 'setConnected': {
				if (typeof body.machineGuid !== 'string' || typeof body.connected !== 'boolean') {
					return badRequest('machineGuid and connected (boolean) are required');
				}
				return json(200, { machine: state.setMachineConnected(body.machineGuid, body.connected) });
			}
			default:
				return badRequest(
					`Unknown action ${String(action)}: use add, addMachine, update or setConnected`,
				);
		}
	} catch (error) {
		return badRequest((error as Error).message);
	}
}

export function handleControl(req: SimRequest, state: SimulatorState): SimResponse {
	const { method, path } = req;
	const body = isRecord(req.body) ? req.body : {};
	const key = `${method} ${path}`;
	if (path.startsWith('/__sim/hunting/')) return huntingControl(req, state);
	switch (key) {
		case 'GET /__sim/state': {
			const byRoute: Record<string, number> = {};
			for (const r of state.requests) {
				const k = routeKey(r.method, r.path);
				byRoute[k] = (byRoute[k] ?? 0) + 1;
			}
			state.engine.advanceAll(state.clock.now());
			const byStatus = { running: 0, finished: 0 };
			for (const r of state.remediations.values())
				byStatus[r.end === null ? 'running' : 'finished']++;
			return json(200, {
				now: state.clock.now(),
				logins: state.logins,
				failedLogins: state.failedLogins,
				sessions: state.sessions.counts(),
				malops: state.malops.size,
				machines: state.machines.size,
				remediations: state.remediations.size,
				remediationsByState: byStatus,
				requests: state.requests.length,
				requestsByRoute: byRoute,
				pendingFaults: state.pendingFaults(),
			});
		}
		case 'GET /__sim/requests':
			return json(200, state.requests);
		case 'POST /__sim/reset-requests':
			state.requests.length = 0;
			return json(200, { requests: 0 });
		case 'POST /__sim/expire-sessions':
			return json(200, {
				expired: state.expireSession(typeof body.cookie === 'string' ? body.cookie : undefined),
			});
		case 'POST /__sim/faults': {
			const list = Array.isArray(req.body) ? req.body : [body];
			for (const item of list) {
				const fault = isRecord(item) ? faultFrom(item) : 'each fault must be an object';
				if (typeof fault === 'string') return badRequest(fault);
				state.addFault(fault);
			}
			return json(200, { pendingFaults: state.pendingFaults() });
		}
		case 'POST /__sim/faults/clear':
		case 'DELETE /__sim/faults':
			state.clearFaults();
			return json(200, { pendingFaults: 0 });
		case 'GET /__sim/malops':
			return json(200, { malops: [...state.malops.keys()].map((g) => malopSummary(state, g)) });
		case 'POST /__sim/malops':
			return malopsAction(body, state);
		case 'POST /__sim/outcomes':
			if (typeof body.key !== 'string' || !isRecord(body.outcome))
				return badRequest('key and outcome are required');
			state.setOutcome(body.key, body.outcome as unknown as Outcome);
			return json(200, { outcomes: state.outcomes.size });
		case 'POST /__sim/outcomes/clear':
			state.clearOutcomes();
			return json(200, { outcomes: 0 });
		case 'POST /__sim/sensors': {
			if (typeof body.machineName !== 'string') return badRequest('machineName is required');
			const sensor = state.addSensor({
				machineName: body.machineName,
				status: body.status as SensorStatus | undefined,
			});
			return json(200, { sensor });
		}
		case 'POST /__sim/clock':
			if (typeof body.shiftMs !== 'number') return badRequest('shiftMs (number) is required');
			state.shiftClock(body.shiftMs);
			return json(200, { now: state.clock.now() });
		case 'GET /__sim/remediations':
			state.engine.advanceAll(state.clock.now());
			return json(
				200,
				[...state.remediations.values()].map((r) => state.engine.render(r)),
			);
	}
	return (
		managementControl(req, state) ?? json(404, { message: `No such control endpoint: ${key}` })
	);
}
