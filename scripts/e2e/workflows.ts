// Workflow fixtures for the harness's own smoke checks (built-in nodes only).
import { newId, type WorkflowJson } from './n8n';

export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

/** Manual Trigger -> <nodes...>, chained in order. Node positions are laid out left to right. */
export function linearWorkflow(
	name: string,
	nodes: Array<{
		name: string;
		type: string;
		typeVersion?: number;
		parameters?: Record<string, unknown>;
		[k: string]: unknown;
	}>,
): WorkflowJson {
	const all = [{ name: 'Start', type: MANUAL_TRIGGER, typeVersion: 1, parameters: {} }, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: newId(),
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: all.map((node, i) => ({
			id: `${i + 1}`.padStart(8, '0') + '-0000-4000-8000-000000000000',
			typeVersion: 1,
			parameters: {},
			position: [i * 220, 0],
			...node,
		})),
		connections,
	};
}

/** Manual Trigger -> No Operation: proves import, execute and output parsing. */
export function noOpWorkflow(): WorkflowJson {
	return linearWorkflow('e2e smoke: manual trigger + no-op', [
		{ name: 'Nothing', type: 'n8n-nodes-base.noOp' },
	]);
}

/**
 * Manual Trigger -> Stop and Error with an expression in the message: proves the failure path of
 * `n8n execute` ("Execution error:", exit 1) and that expressions evaluate (the message is "e2e-boom-42").
 */
export function failingWorkflow(): WorkflowJson {
	return linearWorkflow('e2e smoke: stop and error', [
		{
			name: 'Fail',
			type: 'n8n-nodes-base.stopAndError',
			parameters: { errorType: 'errorMessage', errorMessage: '={{ "e2e-boom-" + (40 + 2) }}' },
		},
	]);
}
