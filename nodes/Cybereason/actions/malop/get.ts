// API: POST /rest/crimes/unified (guidList, both element types), POST /rest/detection/details
// One Malop by GUID, as the very item Get Malops gives in its perMalop mode.
import type { INode } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	cybereasonApiCrimesUnified,
	cybereasonApiDetectionDetails,
} from '../../../shared/api/malops';
import { CybereasonApiError } from '../../../shared/errors';
import { incompleteWarning, MAX_PER_FEATURE_LIMIT } from '../../../shared/malopQuery/completion';
import { pageWarning } from '../../../shared/malopQuery/crimes';
import { normaliseCrimesResponse } from '../../../shared/malops/crimes';
import { mergeMalops } from '../../../shared/malops/filters';
import { normaliseInboxMalop } from '../../../shared/malops/inbox';
import { toMalopItems } from '../../../shared/malops/items';
import { MALOP_ELEMENT_TYPES, type MalopRecord } from '../../../shared/malops/record';
import type { CybereasonApiClient } from '../../../shared/transport';
import type { MalopElementType } from '../../../shared/types';
import {
	includeRawOption,
	MALOP_ID_HINT,
	options,
	optionsCollection,
	perItem,
	requiredId,
} from '../operation';

const properties = [optionsCollection([includeRawOption('the untouched Malop')])];

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['get'] } },
	properties,
);

export interface FoundMalop {
	record: MalopRecord;
	/** What the console left incomplete (PARTIAL_SUCCESS, a list cut at the per-feature limit). */
	warnings: string[];
}

/** crimes/unified answers `elementValues: {}` now and then (Rapid7); asking once more usually fills it. */
async function crimesMalop(
	client: CybereasonApiClient,
	type: MalopElementType,
	malopId: string,
	itemIndex: number,
	baseUrl: string,
): Promise<FoundMalop | undefined> {
	let found: FoundMalop | undefined;
	for (let attempt = 0; attempt < 2 && (!found || found.record.elementValuesMissing); attempt++) {
		const answer = await cybereasonApiCrimesUnified(
			client,
			type,
			{ totalResultLimit: 1, perFeatureLimit: MAX_PER_FEATURE_LIMIT, guidList: [malopId] },
			{ itemIndex, operation: `read ${type} Malop ${malopId}` },
		);
		const page = normaliseCrimesResponse(answer, type, baseUrl);
		const record = page.malops.find((m) => m.malopId === malopId);
		if (!record) return undefined;
		const warning = pageWarning(type, page);
		found = { record, warnings: warning ? [warning] : [] };
	}
	return found;
}

/**
 * The Malop from crimes/unified (both element types: the platform builds Malops from either), else from the
 * detection details (Endpoint Protection Malops are only there). Undefined when neither knows the GUID.
 */
export async function findMalop(
	client: CybereasonApiClient,
	malopId: string,
	itemIndex: number,
): Promise<FoundMalop | undefined> {
	const baseUrl = await client.baseUrl();
	const found = (
		await Promise.all(
			MALOP_ELEMENT_TYPES.map(
				async (type) => await crimesMalop(client, type, malopId, itemIndex, baseUrl),
			),
		)
	).filter((f): f is FoundMalop => f !== undefined);
	if (found.length > 0) {
		const [record] = mergeMalops([found.map((f) => f.record)]);
		// Asked with the largest per-feature limit, as Return All completes a cut Malop.
		const incomplete = incompleteWarning(record, true);
		return {
			record,
			warnings: [...found.flatMap((f) => f.warnings), ...(incomplete ? [incomplete] : [])],
		};
	}
	const details = await cybereasonApiDetectionDetails(client, malopId, { itemIndex }).catch(
		(error: unknown) => {
			// 400 "Malop ID is not valid"; 404 on consoles before 20.1, which have no EPP Malops either.
			if (error instanceof CybereasonApiError && ['400', '404'].includes(error.httpCode ?? ''))
				return undefined;
			throw error;
		},
	);
	if (!details) return undefined;
	return { record: normaliseInboxMalop(details, baseUrl), warnings: [] };
}

export function malopNotFound(node: INode, malopId: string, itemIndex: number) {
	return new NodeOperationError(
		node,
		`Malop ${malopId} (item ${itemIndex}) was not found in Cybereason`,
		{
			itemIndex,
			description:
				'Neither crimes/unified (MalopProcess and MalopLogonSession) nor the detection details know this GUID. Check the Malop ID: Get Malops and the trigger output it as malopId.',
		},
	);
}

export const execute = perItem(async (ctx, client, itemIndex) => {
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const found = await findMalop(client, malopId, itemIndex);
	if (!found) throw malopNotFound(ctx.getNode(), malopId, itemIndex);
	return toMalopItems([found.record], {
		includeRaw: options(ctx, itemIndex).includeRaw === true,
		warnings: found.warnings,
	});
});
