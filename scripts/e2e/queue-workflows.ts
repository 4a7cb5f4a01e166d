/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// Workflows for the queue-mode e2e run: the shipped examples as they are, plus two copies made for
// measuring (a webhook in front of Remediate, so each execution gets its own Malops; example 2 with a fast
// poll). Node types and parameters are the package's own, as users import them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { WorkflowJson } from './n8n';

export const CREDENTIAL_ID = 'CybereasonCred01';
export const EXAMPLE_SCHEDULED = '1-scheduled-isolation.json';
export const EXAMPLE_TRIGGER = '2-trigger-isolate-notify.json';
export const EXAMPLE_DRY_RUN = '3-dry-run-review.json';

export function readExample(repoDir: string, file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(repoDir, 'examples', file), 'utf8')) as WorkflowJson;
}

export const REMEDIATE_WEBHOOK_ID = 'CybrQueueRemedWh';
export const REMEDIATE_WEBHOOK_PATH = 'cybereason-queue-e2e-remediate';
/** The same with n8n's Retry On Fail on the Remediate node (3 tries, 2 s apart). */
export const RETRY_WEBHOOK_ID = 'CybrQueueRemedRt';
export const RETRY_WEBHOOK_PATH = 'cybereason-queue-e2e-remediate-retry';

/**
 * POST /webhook/<path> {run, targets: [{malopId, machineGuid, machineName}]} -> one item per target ->
 * Cybereason Remediate (Isolate Machine, wait for completion). The Webhook answers at once; the execution
 * is queued by the main and run by a worker. Remediate keeps its defaults for Malop ID / Machine GUID
 * (`{{ $json.malopId }}` ...) and the replay guard (600 s).
 */
export function remediateWebhookWorkflow(opts: { retry?: boolean } = {}): WorkflowJson {
	const credentials = { cybereasonApi: { id: CREDENTIAL_ID, name: 'Cybereason account' } };
	const retry = opts.retry === true;
	return {
		id: retry ? RETRY_WEBHOOK_ID : REMEDIATE_WEBHOOK_ID,
		name: `e2e queue: webhook -> isolate the given machines${retry ? ' (Retry On Fail)' : ''}`,
		nodes: [
			{
				parameters: {
					httpMethod: 'POST',
					path: retry ? RETRY_WEBHOOK_PATH : REMEDIATE_WEBHOOK_PATH,
					responseMode: 'onReceived',
					options: {},
				},
				id: '9e9e0001-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: retry
					? '9e9e0001-0000-4000-8000-0000000000fe'
					: '9e9e0001-0000-4000-8000-0000000000ff',
			},
			{
				parameters: { fieldToSplitOut: 'body.targets', include: 'noOtherFields', options: {} },
				id: '9e9e0001-0000-4000-8000-000000000002',
				name: 'One item per target',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
			},
			{
				parameters: {
					actionType: 'ISOLATE_MACHINE',
					options: { waitForCompletion: true, pollInterval: 0.2, timeout: 60 },
				},
				id: '9e9e0001-0000-4000-8000-000000000003',
				name: 'Cybereason Remediate',
				type: 'n8n-nodes-cybereason.cybereasonRemediate',
				typeVersion: 1,
				position: [440, 0],
				credentials,
				...(retry ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 } : {}),
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per target', type: 'main', index: 0 }]] },
			'One item per target': { main: [[{ node: 'Cybereason Remediate', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

export const FAST_TRIGGER_ID = 'CybrQueueTrigger';
/** Seconds of the minute at which the fast copy polls (n8n refuses sub-minute crons, so one cron per second value). */
export const FAST_POLL_SECONDS = [0, 10, 20, 30, 40, 50];

/**
 * Example 2 unchanged except its id, name and poll times: six "every minute at second S" crons, i.e. a
 * poll every 10 s (each cron alone is minute-granular, which both n8n lines accept).
 */
export function fastTriggerCopy(example: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	copy.id = FAST_TRIGGER_ID;
	copy.name = `${example.name} (e2e queue: polls every 10 s)`;
	copy.active = false;
	const trigger = copy.nodes.find((n) => n.type === 'n8n-nodes-cybereason.cybereasonTrigger');
	if (!trigger) throw new Error('example 2 has no Cybereason Trigger');
	const parameters = trigger.parameters as Record<string, unknown>;
	parameters.pollTimes = {
		item: FAST_POLL_SECONDS.map((second) => ({
			mode: 'custom',
			cronExpression: `${second} * * * * *`,
		})),
	};
	return copy;
}
