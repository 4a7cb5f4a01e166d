// API: /__sim/management, /__sim/labels, /__sim/malops/{guid}: Malop management seen and steered from
// outside the process (e2e). Same rules as control.ts: no session, never recorded, never faulted.
import { labelCounts, labelView } from './labels';
import { MANAGEMENT_DEFAULTS } from './model';
import { parseManagementOptions } from './management';
import { badRequest, isRecord, json, type SimRequest, type SimResponse } from './respond';
import type { SimulatorState } from './state';
import { investigationStatusOf, metadataTime } from './status';

function setOptions(body: unknown, state: SimulatorState): SimResponse {
	if (!isRecord(body)) return badRequest('Send an object of management options');
	const unknown = Object.keys(body).find((k) => !(k in MANAGEMENT_DEFAULTS));
	if (unknown) {
		return badRequest(
			`Unknown management option ${unknown}: use ${Object.keys(MANAGEMENT_DEFAULTS).join(', ')}`,
		);
	}
	const parsed = parseManagementOptions(body);
	if (typeof parsed === 'string') return badRequest(parsed);
	Object.assign(state.management, parsed);
	return json(200, state.management);
}

function labels(state: SimulatorState): SimResponse {
	const counts = labelCounts(state.malops.values());
	return json(200, {
		labels: state.labels.all(state.malops.values()).map((l) => labelView(l, counts)),
	});
}

/** The model plus what the wire derives from it: the investigation status, label ids, metadata time. */
function malopManagement(state: SimulatorState, guid: string): SimResponse {
	const m = state.malops.get(guid);
	if (!m) return json(404, { message: `Unknown Malop ${guid}` });
	return json(200, {
		malop: m,
		investigationStatus: investigationStatusOf(m),
		labels: m.labels.map((t) => state.labels.ensure(t)),
		metadataUpdateTime: metadataTime(m),
	});
}

export function managementControl(req: SimRequest, state: SimulatorState): SimResponse | undefined {
	const key = `${req.method} ${req.path}`;
	switch (key) {
		case 'GET /__sim/management':
			return json(200, state.management);
		case 'POST /__sim/management':
			return setOptions(req.body, state);
		case 'GET /__sim/labels':
			return labels(state);
		case 'POST /__sim/labels': {
			const text = isRecord(req.body) ? req.body.labelText : undefined;
			if (typeof text !== 'string' || text === '') return badRequest('labelText is required');
			return json(200, { label: state.labels.ensure(text) });
		}
	}
	const prefix = '/__sim/malops/';
	if (req.method === 'GET' && req.path.startsWith(prefix) && req.path.length > prefix.length) {
		try {
			return malopManagement(state, decodeURIComponent(req.path.slice(prefix.length)));
		} catch {
			return badRequest('The Malop GUID in the path is not valid URL encoding');
		}
	}
	return undefined;
}
