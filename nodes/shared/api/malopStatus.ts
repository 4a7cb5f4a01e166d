// API: POST /rest/crimes/status, PUT /rest/mmng/v2/malops/{guid}, GET /rest/mmng/v2/malops/metadata/{guid}
import { isRecord } from '../malops/values';
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type {
	CrimesStatusResponse,
	InvestigationStatus,
	MalopMetadataResponse,
	ManagementStatus,
	MmngStatusResponse,
} from '../types';
import { segment, type ApiCall } from './call';

const METADATA_ANSWER: AnswerShape = {
	what: 'the Malop status (data)',
	test: (body) => isRecord(body) && isRecord(body.data),
};

/**
 * The old API's management status, one Malop per body. Sent once: its answer is read back through the metadata or
 * crimes/unified, never by sending again. The answer's `status` must say SUCCESS (XSOAR and Google SecOps check it);
 * a FAILURE envelope is turned into an error by the transport.
 */
export async function cybereasonApiSetManagementStatus(
	client: CybereasonApiClient,
	malopId: string,
	status: ManagementStatus,
	call: ApiCall = {},
): Promise<CrimesStatusResponse | undefined> {
	return await client.request<CrimesStatusResponse | undefined>({
		method: 'POST',
		path: '/rest/crimes/status',
		body: { [malopId]: status },
		idempotent: false,
		operation: call.operation ?? `set the management status of Malop ${malopId} to ${status}`,
		itemIndex: call.itemIndex,
	});
}

/** The mmng/v2 investigation status (21.2.180+): `{status, message}`, SUCCESS expected. */
export async function cybereasonApiSetInvestigationStatus(
	client: CybereasonApiClient,
	malopId: string,
	status: InvestigationStatus,
	call: ApiCall = {},
): Promise<MmngStatusResponse | undefined> {
	return await client.request<MmngStatusResponse | undefined>({
		method: 'PUT',
		path: `/rest/mmng/v2/malops/${segment(malopId)}`,
		body: { investigationStatus: status },
		idempotent: false,
		operation: call.operation ?? `set the investigation status of Malop ${malopId} to ${status}`,
		itemIndex: call.itemIndex,
	});
}

/** Both statuses of one Malop, its label ids and closer, as the console holds them now. */
export async function cybereasonApiMalopMetadata(
	client: CybereasonApiClient,
	malopId: string,
	call: ApiCall = {},
): Promise<MalopMetadataResponse> {
	return await client.request<MalopMetadataResponse>({
		method: 'GET',
		path: `/rest/mmng/v2/malops/metadata/${segment(malopId)}`,
		idempotent: true,
		operation: call.operation ?? `read the status of Malop ${malopId}`,
		itemIndex: call.itemIndex,
		expect: METADATA_ANSWER,
	});
}
