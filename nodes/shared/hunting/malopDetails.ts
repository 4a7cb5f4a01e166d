// API: POST /rest/visualsearch/query/simple (through the api layer)
// A Malop's processes (MalopProcess guidList → suspects → Process, XSOAR's fetch_malop_processes) and its
// machines (→ affectedMachines → Machine) in parallel. A GUID alone does not say which Malop type it is: the
// answer's pathResultCounts does (step 0 counts the Malop), so a MalopLogonSession is asked for when no
// MalopProcess has that GUID.
import type { IDataObject } from 'n8n-workflow';

import type { ApiCall } from '../api/call';
import { MALOP_ELEMENT_TYPES } from '../malops/record';
import type { CybereasonApiClient } from '../transport';
import { malopDetailItems } from './malop';
import { withWarnings } from './notices';
import { machinesByGuid } from './processes';
import { runHunt, startMissing, type HuntResult } from './search';

export interface MalopDetails {
	items: IDataObject[];
	warnings: string[];
	notices: string[];
}

/** An answer without pathResultCounts says only what it returned. */
function malopFound(result: HuntResult): boolean {
	return result.facts.pathCounts.length > 0 ? !startMissing(result) : result.returned > 0;
}

/** Undefined when the console has no Malop with this GUID. */
export async function fetchMalopDetails(
	client: CybereasonApiClient,
	malopId: string,
	limit: number | undefined,
	call: ApiCall = {},
): Promise<MalopDetails | undefined> {
	for (const malopType of MALOP_ELEMENT_TYPES) {
		const [processes, machines] = await Promise.all([
			runHunt(
				client,
				{ hunt: { find: 'malopProcesses', malopId, malopType }, limit, noun: 'process' },
				call,
			),
			runHunt(
				client,
				{ hunt: { find: 'malopMachines', malopId, malopType }, noun: 'machine' },
				call,
			),
		]);
		if (!malopFound(processes) && !malopFound(machines)) continue;
		const warnings = [...processes.warnings, ...machines.warnings];
		const items = malopDetailItems(malopId, processes.facts, machinesByGuid(machines.facts));
		return {
			items: withWarnings(items, warnings),
			warnings,
			notices: [...processes.notices, ...machines.notices],
		};
	}
	return undefined;
}
