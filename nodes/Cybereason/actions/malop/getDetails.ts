// API: POST /rest/visualsearch/query/simple
// A Malop's suspect processes with their suspicions, machine, user, command line and image hashes, and the sensor
// state of the machines it affects: one item per process.
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { fetchMalopDetails } from '../../../shared/hunting/malopDetails';
import { huntOperation, limitProperties, readLimit } from '../hunt';
import { MALOP_ID_HINT, requiredId } from '../operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['getDetails'] } },
	limitProperties,
);

export const execute = huntOperation('Malop details', async (ctx, client, itemIndex, report) => {
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const details = await fetchMalopDetails(client, malopId, readLimit(ctx, itemIndex), {
		itemIndex,
		operation: `read the processes of Malop ${malopId} (item ${itemIndex})`,
	});
	if (!details) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Cybereason knows no AI Hunting Malop ${malopId} (item ${itemIndex})`,
			{
				itemIndex,
				description: `Neither a MalopProcess nor a MalopLogonSession has this GUID. An Endpoint Protection (detection) Malop has no process details here: Malop > Get shows it. ${MALOP_ID_HINT}`,
			},
		);
	}
	report(details);
	return details.items;
});
