// API: /__sim/hunting/* control endpoints: queue visual-search faults, read the custom reputations and
// list the hunting model's files (to pick a hash that is on N machines). Contract in README.md.
import type { HuntingFault } from './hunting-state';
import { huntContext } from './hunting-registry';
import { classification } from './hunting-types';
import { badRequest, isRecord, json, type SimRequest, type SimResponse } from './respond';
import type { SimulatorState } from './state';

const COUNT_OR_NAMES = (v: unknown) =>
	v === undefined ||
	(Number.isInteger(v) && (v as number) >= 0) ||
	(Array.isArray(v) && v.every((s) => typeof s === 'string'));

const FAULT_KEYS = ['requestedType', 'times', 'failedServers', 'offlineServers', 'terminateAfter'];

function faultFrom(body: Record<string, unknown>): HuntingFault | string {
	// A form-encoded body parses into one odd key: refuse it rather than queue a fault that does nothing.
	const unknown = Object.keys(body).filter((k) => !FAULT_KEYS.includes(k));
	if (unknown.length > 0) return `Unknown fault field ${unknown[0]}: use ${FAULT_KEYS.join(', ')}`;
	if (!COUNT_OR_NAMES(body.failedServers) || !COUNT_OR_NAMES(body.offlineServers))
		return 'failedServers and offlineServers are a count or a list of server names';
	if (
		body.terminateAfter !== undefined &&
		!(Number.isInteger(body.terminateAfter) && (body.terminateAfter as number) >= 0)
	)
		return 'terminateAfter must be a non-negative integer';
	if (body.requestedType !== undefined && typeof body.requestedType !== 'string')
		return 'requestedType must be a string';
	// JSON has no Infinity: "Infinity", null or -1 mean "every matching query".
	const times =
		body.times === 'Infinity' || body.times === null || body.times === -1
			? Infinity
			: Number(body.times ?? 1);
	if (!(times > 0)) return 'times must be a positive number';
	return { ...(body as HuntingFault), times };
}

export function huntingControl(req: SimRequest, state: SimulatorState): SimResponse {
	const key = `${req.method} ${req.path}`;
	const hunting = state.hunting;
	switch (key) {
		case 'POST /__sim/hunting/faults': {
			const list = Array.isArray(req.body) ? req.body : [req.body];
			const faults: HuntingFault[] = [];
			for (const item of list) {
				const fault = isRecord(item) ? faultFrom(item) : 'each fault must be an object';
				if (typeof fault === 'string') return badRequest(fault);
				faults.push(fault);
			}
			faults.forEach((f) => hunting.faults.add(f));
			return json(200, { pendingFaults: hunting.faults.size, servers: hunting.servers });
		}
		case 'POST /__sim/hunting/faults/clear':
			hunting.faults.clear();
			return json(200, { pendingFaults: 0 });
		case 'GET /__sim/hunting/reputations':
			return json(200, { reputations: [...hunting.reputations.entries.values()] });
		case 'GET /__sim/hunting/files': {
			const ctx = huntContext(state);
			return json(200, {
				files: ctx.model.files.map((f) => ({
					guid: f.guid,
					name: f.name,
					md5: f.md5,
					sha1: f.sha1,
					machineGuid: f.machine.guid,
					machineName: f.machine.name,
					maliciousClassificationType: classification(f, ctx),
					malops: f.malops.map((m) => m.guid),
				})),
			});
		}
	}
	return json(404, { message: `No such control endpoint: ${key}` });
}
