// crimes/unified elements and answers in the shape of the public captures, with only what a test needs.
import type { CrimesUnifiedResponse, MalopElement } from '../../../../nodes/shared/types';

export const BASE = 'https://acme.cybereason.net';

/** A crimes/unified element in the shape of the public captures, with only what a test needs. */
export function element(
	guid: string,
	options: Partial<{
		status: string;
		lastUpdate: number;
		machines: Array<[string, string]>;
		machineTotal: number;
		suspects: number;
		suspectTotal: number;
		empty: boolean;
	}> = {},
): MalopElement {
	const machines = options.machines ?? [['-1826875736.1198775089551518743', 'desktop-j60ivd0']];
	const suspects = Array.from({ length: options.suspects ?? 1 }, (_, i) => ({
		elementType: 'Process',
		guid: `S-2-PC_TYvnPWzr${i}`,
		name: 'bdata.bin',
		hasSuspicions: true,
		hasMalops: true,
	}));
	const sv = (value: string | null) => ({ totalValues: 1, values: [value] });
	return {
		simpleValues: {
			managementStatus: sv(options.status ?? 'UNREAD'),
			detectionType: sv('BLACKLIST'),
			creationTime: sv('1671393898844'),
			malopLastUpdateTime: sv(String(options.lastUpdate ?? 1671393898845)),
			rootCauseElementTypes: sv('File'),
			rootCauseElementNames: sv('bdata.bin'),
			closeTime: sv(null),
		},
		elementValues: options.empty
			? {}
			: {
					affectedMachines: {
						totalValues: options.machineTotal ?? machines.length,
						elementValues: machines.map(([guid, name]) => ({
							elementType: 'Machine',
							guid,
							name,
							hasSuspicions: false,
							hasMalops: false,
						})),
					},
					suspects: {
						totalValues: options.suspectTotal ?? suspects.length,
						elementValues: suspects,
					},
				},
		guidString: guid,
	};
}

export function crimesAnswer(
	elements: Record<string, MalopElement>,
	extra: Partial<CrimesUnifiedResponse['data'] & object> = {},
) {
	return {
		data: {
			resultIdToElementDataMap: elements,
			totalPossibleResults: Object.keys(elements).length,
			queryTerminated: false,
			...extra,
		},
		status: 'SUCCESS',
		message: '',
	} as CrimesUnifiedResponse;
}

/** The machine of xsoar-query_malop_management_raw_response, normalised (record and item fields alike). */
export const MMNG_SAMPLE_MACHINE = {
	machineGuid: '<machine-guid>',
	machineName: '<machine-display-name>',
	machineConnected: false,
	machineIsolated: false,
	osType: 'WINDOWS',
	pylumId: '<pylum-id>',
	lastConnected: '2023-11-01T05:54:00.437Z',
};
