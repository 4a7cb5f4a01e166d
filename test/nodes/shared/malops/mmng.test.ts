import { normaliseMmngMalop, normaliseMmngResponse } from '../../../../nodes/shared/malops/mmng';
import type { InboxMalop, MmngMalop, MmngResponse } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { BASE, MMNG_SAMPLE_MACHINE } from './fixtures';

/** An mmng/v2 item in the sample's shape, with only what a test changes. */
function item(patch: Partial<MmngMalop> = {}): MmngMalop {
	return {
		guid: 'AAAA0w7GERjl3oae',
		displayName: 'evil.exe',
		creationTime: 1686720403740,
		lastUpdateTime: 1686720403743,
		detectionType: 'KNOWN_MALWARE',
		rootCauseElementType: 'File',
		status: 'Active',
		severity: 'High',
		investigationStatus: 'Pending',
		priority: null,
		isEdr: true,
		machines: [],
		...patch,
	};
}

describeWithSamples('the public mmng/v2 capture normalises', () => {
	it('xsoar-query_malop_management_raw_response: every field, the machine with its pylumId', () => {
		const [malop, ...rest] = normaliseMmngResponse(
			sample<MmngResponse>('xsoar-query_malop_management_raw_response.json'),
			BASE,
		);
		expect(rest).toEqual([]);
		expect(malop).toMatchObject({
			source: 'malopsManagement',
			malopId: 'AAAA0w7GERjl3oae',
			malopType: 'EDR',
			edr: true,
			displayName: 'aasiapp.pdf.exe',
			rootCauseElementType: 'File',
			detectionType: 'EXTENSION_MANIPULATION',
			status: 'Active',
			severity: 'High',
			creationTime: new Date(1686720403740).toISOString(),
			lastUpdateTime: new Date(1686720403743).toISOString(),
			lastUpdateTimeMs: 1686720403743,
			closed: false,
			malopUrl: `${BASE}/#/malop/AAAA0w7GERjl3oae`,
			machineCount: 1,
			machines: [MMNG_SAMPLE_MACHINE],
			management: {
				investigationStatus: 'Pending',
				priority: 'MEDIUM',
				labels: ['IT-Closed'],
				mitreTactics: [],
				mitreTechniques: [],
				rootCauseElementHashes: ['a541fb35b0b750501717df708f1ccade7c176e1d'],
			},
			warnings: [],
			malformed: false,
		});
	});

	it("SEKOIA's inbox-shaped items (edr, labels as strings, hashes as one string) read the same way", () => {
		const epp = normaliseMmngMalop(sample<InboxMalop>('sekoia-epp_malop.json') as never, BASE);
		expect(epp).toMatchObject({
			malopType: 'EPP',
			edr: false,
			detectionType: 'KNOWN_MALWARE',
			malopUrl: `${BASE}/#/detection-malop/11.-2600105145818681902`,
			management: {
				priority: 'HIGH',
				labels: [],
				rootCauseElementHashes: ['a21c84c6bf2e21d69fa06daaf19b4cc34b589347'],
			},
		});
		const edr = normaliseMmngMalop(sample<InboxMalop>('sekoia-edr_malop.json') as never, BASE);
		expect(edr).toMatchObject({
			malopType: 'EDR',
			management: { rootCauseElementHashes: [] },
			machines: [{ machineGuid: '-1447104131.1198775089551518743', pylumId: null }],
		});
	});
});

describe('mmng/v2 items', () => {
	it('EPP Malops link to the Endpoint Protection screen', () => {
		expect(normaliseMmngMalop(item({ isEdr: false }), BASE)).toMatchObject({
			malopType: 'EPP',
			edr: false,
			malopUrl: `${BASE}/#/detection-malop/AAAA0w7GERjl3oae`,
		});
	});

	it('spell ReOpened one way whichever way the console does', () => {
		for (const spelling of ['Reopened', 'ReOpened']) {
			expect(
				normaliseMmngMalop(item({ investigationStatus: spelling }), BASE).management
					?.investigationStatus,
			).toBe('ReOpened');
		}
	});

	it('are closed when Closed, Excluded or their investigation is Closed; Remediated is not', () => {
		const closed = (patch: Partial<MmngMalop>) => normaliseMmngMalop(item(patch), BASE).closed;
		expect(closed({ status: 'Closed' })).toBe(true);
		expect(closed({ status: 'Excluded' })).toBe(true);
		expect(closed({ status: 'Active', investigationStatus: 'Closed' })).toBe(true);
		expect(closed({ status: 'Remediated', investigationStatus: 'UnderInvestigation' })).toBe(false);
	});

	it('read labels as texts, and keep an unset priority null', () => {
		const record = normaliseMmngMalop(
			item({
				labels: [{ id: 101, labelText: 'VIP', count: 1, empty: false }, 'legacy', { id: 102 }],
			}),
			BASE,
		);
		expect(record.management).toMatchObject({ labels: ['VIP', 'legacy'], priority: null });
	});

	it('report machines without a GUID as malformed and keep the others', () => {
		const record = normaliseMmngMalop(
			item({
				machines: [
					{ guid: 'm1', displayName: 'a', pylumId: 'PYLUM1' },
					{ displayName: 'no guid' } as never,
				],
			}),
			BASE,
		);
		expect(record.machines.map((m) => m.pylumId)).toEqual(['PYLUM1']);
		expect(record.warnings).toEqual([
			expect.stringMatching(/affected machines malformed \(1 entry without a GUID\)/),
		]);
	});
});
