// API: POST /rest/crimes/status, PUT /rest/mmng/v2/malops/{guid}, GET /rest/mmng/v2/malops/metadata/{guid}
// A Malop's status in either vocabulary: the old management status, or mmng/v2's investigation status (newer
// consoles, where crimes/status no longer applies). Sent once; a lost answer is settled by reading the status back.
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	cybereasonApiMalopMetadata,
	cybereasonApiSetInvestigationStatus,
	cybereasonApiSetManagementStatus,
} from '../../../shared/api/malopStatus';
import { CybereasonApiError } from '../../../shared/errors';
import type { CybereasonApiClient } from '../../../shared/transport';
import {
	INVESTIGATION_STATUSES,
	MANAGEMENT_STATUSES,
	type InvestigationStatus,
	type ManagementStatus,
} from '../../../shared/types';
import { MALOP_ID_HINT, perItem, requiredId, textParameter } from '../operation';
import { findMalop } from './get';

type StatusType = 'management' | 'investigation';

const properties: INodeProperties[] = [
	{
		displayName: 'Status Type',
		name: 'statusType',
		type: 'options',
		options: [
			{
				name: 'Investigation Status',
				value: 'investigation',
				description:
					'The newer status (console 21.2.180 and later, PUT /rest/mmng/v2/malops): Pending, Under Investigation, On Hold, Reopened, Closed',
			},
			{
				name: 'Management Status',
				value: 'management',
				description:
					'The classic status (POST /rest/crimes/status): Unread, To Do, Open, Closed, False Positive. Not on the newer data platform.',
			},
		],
		default: 'management',
		description: 'Which of the two Cybereason status fields to set',
	},
	{
		displayName: 'Management Status',
		name: 'managementStatus',
		type: 'options',
		options: [
			{ name: 'Closed', value: 'CLOSED', description: 'Handled (the console shows Remediated)' },
			{ name: 'False Positive', value: 'FP', description: 'Not a threat (Not Relevant)' },
			{ name: 'Open', value: 'OPEN', description: 'Under investigation' },
			{ name: 'To Do', value: 'TODO' },
			{ name: 'Unread', value: 'UNREAD' },
		],
		default: 'CLOSED',
		description:
			'The management status to set. Endpoint Protection Malops take only Closed, False Positive and Open.',
		displayOptions: { show: { statusType: ['management'] } },
	},
	{
		displayName: 'Investigation Status',
		name: 'investigationStatus',
		type: 'options',
		options: [
			{ name: 'Closed', value: 'Closed' },
			{ name: 'On Hold', value: 'OnHold' },
			{ name: 'Pending', value: 'Pending' },
			{ name: 'Reopened', value: 'ReOpened' },
			{ name: 'Under Investigation', value: 'UnderInvestigation' },
		],
		default: 'Closed',
		description: 'The investigation status to set',
		displayOptions: { show: { statusType: ['investigation'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['updateStatus'] } },
	properties,
);

/** Consoles answer `Reopened` where XSOAR sends `ReOpened`: both read as ReOpened. */
export function parseInvestigationStatus(value: unknown): InvestigationStatus | undefined {
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	return INVESTIGATION_STATUSES.find((status) => status.toLowerCase() === text);
}

function parseManagementStatus(value: unknown): ManagementStatus | undefined {
	const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
	return MANAGEMENT_STATUSES.find((status) => status === text);
}

/** What crimes/status says on the newer data platform, where only the investigation status applies. */
const NEW_PLATFORM = /mmng\/v2|investigation status|data (platform|infrastructure)/i;

function wanted(node: INode, statusType: StatusType, raw: string, itemIndex: number) {
	const status =
		statusType === 'management' ? parseManagementStatus(raw) : parseInvestigationStatus(raw);
	if (status) return status;
	const allowed = statusType === 'management' ? MANAGEMENT_STATUSES : INVESTIGATION_STATUSES;
	throw new NodeOperationError(node, `Unknown ${statusType} status "${raw}" in item ${itemIndex}`, {
		itemIndex,
		description: `Use one of ${allowed.join(', ')}.`,
	});
}

/** The status the console holds now, in the vocabulary that was set; undefined when it cannot be read. */
async function currentStatus(
	client: CybereasonApiClient,
	statusType: StatusType,
	malopId: string,
	itemIndex: number,
): Promise<string | undefined> {
	if (statusType === 'investigation') {
		const answer = await cybereasonApiMalopMetadata(client, malopId, { itemIndex });
		return parseInvestigationStatus(answer?.data?.investigationStatus);
	}
	const found = await findMalop(client, malopId, itemIndex);
	return found?.record.source === 'crimesUnified' ? (found.record.status ?? undefined) : undefined;
}

async function send(
	client: CybereasonApiClient,
	statusType: StatusType,
	malopId: string,
	status: string,
	itemIndex: number,
) {
	const operation = `set the ${statusType} status of Malop ${malopId} (item ${itemIndex}) to ${status}`;
	return statusType === 'management'
		? await cybereasonApiSetManagementStatus(client, malopId, status as ManagementStatus, {
				itemIndex,
				operation,
			})
		: await cybereasonApiSetInvestigationStatus(client, malopId, status as InvestigationStatus, {
				itemIndex,
				operation,
			});
}

function newPlatformError(
	node: INode,
	error: CybereasonApiError,
	malopId: string,
	itemIndex: number,
) {
	return new CybereasonApiError(node, {
		message: `Cybereason does not take the management status of Malop ${malopId} (item ${itemIndex}) on this console: set Status Type to Investigation Status`,
		description: `On the newer data platform only the investigation status applies (PUT /rest/mmng/v2/malops/{guid}). The console said: ${error.message}`,
		httpCode: error.httpCode ?? undefined,
		itemIndex,
		cybereasonStatus: error.cybereasonStatus,
	});
}

/** The answer was lost: the status read back says whether it was set. Nothing is sent again. */
async function settleLostAnswer(
	client: CybereasonApiClient,
	statusType: StatusType,
	malopId: string,
	status: string,
	itemIndex: number,
	lost: CybereasonApiError,
	out: IDataObject,
): Promise<IDataObject> {
	const now = await currentStatus(client, statusType, malopId, itemIndex).catch(
		(readError: Error) => `unreadable (${readError.message})`,
	);
	if (now !== status) {
		lost.description = `${lost.description ? `${lost.description} ` : ''}Reading the status back gave ${now ?? 'nothing'}, not ${status}.`;
		throw lost;
	}
	return {
		...out,
		message: null,
		note: `The console's answer was lost (${lost.message}); reading the status back shows ${status}. Nothing was sent again.`,
	};
}

export const execute = perItem(async (ctx, client, itemIndex) => {
	const node = ctx.getNode();
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const statusType: StatusType =
		ctx.getNodeParameter('statusType', itemIndex, 'management') === 'investigation'
			? 'investigation'
			: 'management';
	const status = wanted(
		node,
		statusType,
		textParameter(ctx, `${statusType}Status`, itemIndex),
		itemIndex,
	);
	const out: IDataObject = { malopId, statusType, [`${statusType}Status`]: status };
	const sent = await send(client, statusType, malopId, status, itemIndex).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in sent) {
		const { error } = sent;
		if (!(error instanceof CybereasonApiError)) throw error;
		if (statusType === 'management' && NEW_PLATFORM.test(error.message))
			throw newPlatformError(node, error, malopId, itemIndex);
		if (!error.outcomeUnknown) throw error;
		return [await settleLostAnswer(client, statusType, malopId, status, itemIndex, error, out)];
	}
	const { answer } = sent;
	if (String(answer?.status ?? '').toUpperCase() !== 'SUCCESS') {
		throw new CybereasonApiError(node, {
			message: `Cybereason did not confirm the ${statusType} status of Malop ${malopId} (item ${itemIndex}): its answer has no status SUCCESS`,
			description: `The console answered HTTP 200 with status ${JSON.stringify(answer?.status ?? null)}${
				answer?.message ? `: ${answer.message}` : ''
			}. Check the Malop in the console.`,
			httpCode: '200',
			itemIndex,
		});
	}
	return [{ ...out, message: typeof answer?.message === 'string' ? answer.message : null }];
});
