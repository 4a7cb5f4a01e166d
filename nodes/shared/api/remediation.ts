// API: POST /rest/remediate, GET /rest/remediate/progress/{user}/{malopId}/{remediationId},
//      GET /rest/remediate/status/{malopId}, POST /rest/remediate/abort/{malopId}/{remediationId}
import type { IDataObject } from 'n8n-workflow';

import type { CybereasonApiClient } from '../transport';
import type { RemediateRequest, RemediationResponse } from '../types';
import { segment, type ApiCall } from './call';

/** Where a remediation is started; dry runs show it as the request they would have sent. */
export const REMEDIATE_ENDPOINT = { method: 'POST', path: '/rest/remediate' } as const;

export interface RemediationRef {
	malopId: string;
	remediationId: string;
}

/**
 * Never retried: a lost answer is resolved by reading the Malop's remediation history, not by sending the
 * actions again. Undefined when the console answered with no body.
 */
export async function cybereasonApiRemediate(
	client: CybereasonApiClient,
	body: RemediateRequest,
	call: ApiCall = {},
): Promise<RemediationResponse | undefined> {
	return await client.request<RemediationResponse | undefined>({
		...REMEDIATE_ENDPOINT,
		body: body as unknown as IDataObject,
		idempotent: false,
		operation: call.operation ?? `start the remediation of Malop ${body.malopId ?? ''}`.trim(),
		itemIndex: call.itemIndex,
	});
}

export async function cybereasonApiRemediationProgress(
	client: CybereasonApiClient,
	remediation: RemediationRef & { initiatingUser: string },
	call: ApiCall = {},
): Promise<RemediationResponse | undefined> {
	const { initiatingUser, malopId, remediationId } = remediation;
	return await client.request<RemediationResponse | undefined>({
		method: 'GET',
		path: `/rest/remediate/progress/${segment(initiatingUser)}/${segment(malopId)}/${segment(remediationId)}`,
		idempotent: true,
		operation: call.operation ?? `read the progress of remediation ${remediationId}`,
		itemIndex: call.itemIndex,
	});
}

function isRemediation(value: unknown): value is RemediationResponse {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as RemediationResponse).remediationId === 'string'
	);
}

/** GET /rest/remediate/status/{malopId}: an array of remediations, or an object keyed by remediationId (or wrapped in `data`). */
export function remediationsFromStatus(body: unknown): RemediationResponse[] {
	if (Array.isArray(body)) return body.filter(isRemediation);
	if (typeof body !== 'object' || body === null) return [];
	if (isRemediation(body)) return [body];
	const record = body as Record<string, unknown>;
	if ('data' in record && record.data && typeof record.data === 'object')
		return remediationsFromStatus(record.data);
	return Object.values(record).filter(isRemediation);
}

/** Every remediation of the Malop the console remembers, as the replay guard and lost-answer recovery read it. */
export async function cybereasonApiRemediationHistory(
	client: CybereasonApiClient,
	malopId: string,
	call: ApiCall = {},
): Promise<RemediationResponse[]> {
	const answer = await client.request<unknown>({
		method: 'GET',
		path: `/rest/remediate/status/${segment(malopId)}`,
		idempotent: true,
		operation: call.operation ?? `read the remediation history of Malop ${malopId}`,
		itemIndex: call.itemIndex,
	});
	return remediationsFromStatus(answer);
}

/** Sent once: the answer lists ABORTED, or the real status of an action that finished first. */
export async function cybereasonApiAbortRemediation(
	client: CybereasonApiClient,
	remediation: RemediationRef,
	call: ApiCall = {},
): Promise<RemediationResponse | undefined> {
	const { malopId, remediationId } = remediation;
	return await client.request<RemediationResponse | undefined>({
		method: 'POST',
		path: `/rest/remediate/abort/${segment(malopId)}/${segment(remediationId)}`,
		idempotent: false,
		operation: call.operation ?? `abort remediation ${remediationId}`,
		itemIndex: call.itemIndex,
	});
}
