import { normaliseInboxMalop, normaliseInboxResponse } from '../../../../nodes/shared/malops/inbox';
import type { InboxMalop, InboxResponse } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { BASE } from './fixtures';

describeWithSamples('the public inbox captures normalise', () => {
	it('inbox answer with an Endpoint Protection Malop (edr false) closed by an analyst', () => {
		const [malop] = normaliseInboxResponse(
			sample<InboxResponse>('xsoar-malop_detection_data.json'),
			BASE,
		);
		expect(malop).toMatchObject({
			source: 'detectionInbox',
			malopId: 'AAAA0yUlnvXGQODT',
			malopType: 'EPP',
			edr: false,
			displayName: 'abs.exe',
			rootCauseElementType: 'File',
			detectionType: 'BLACKLIST',
			status: 'Active',
			severity: 'High',
			creationTime: new Date(1662563233889).toISOString(),
			lastUpdateTime: new Date(1672679951701).toISOString(),
			// status says Active, but the entry's own `closed` flag (and its close time) say the analyst closed it
			closed: true,
			malopUrl: `${BASE}/#/detection-malop/AAAA0yUlnvXGQODT`,
			machines: [
				{
					machineGuid: '123',
					machineName: 'desktop-1',
					machineConnected: false,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
				{
					machineGuid: '456',
					machineName: 'win-123',
					machineConnected: true,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
			],
		});
	});

	it('inbox entries given as a bare list (query_inbox_raw_response, an EDR Malop)', () => {
		const [malop] = normaliseInboxResponse(
			sample<InboxMalop[]>('xsoar-query_inbox_raw_response.json'),
			BASE,
		);
		expect(malop).toMatchObject({
			malopId: 'AAAA0ws7O-MUgDmB',
			malopType: 'EDR',
			displayName: 'xkpkmvkd2380319126246621955.exe',
			detectionType: 'KNOWN_MALWARE',
			status: 'Active',
			severity: 'High',
			closed: false,
			malopUrl: `${BASE}/#/malop/AAAA0ws7O-MUgDmB`,
			machines: [
				{
					machineGuid: 'KSSdyRCi55eyTiwX',
					machineName: 'mgmt01',
					machineConnected: false,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
			],
		});
	});
});

describe('malformed inbox machines', () => {
	const entry = (machines: unknown) =>
		normaliseInboxMalop(
			{
				guid: 'AAAA0ws7O-MUgDmB',
				displayName: 'x',
				creationTime: 1,
				lastUpdateTime: 2,
				edr: true,
				machines: machines as InboxMalop['machines'],
			},
			BASE,
		);

	it('keeps what it can read and says what it left out', () => {
		const malop = entry([
			{ guid: 'm1', displayName: 'a' },
			{ displayName: 'b' },
			'm2',
			{ guid: 'm1' },
		]);
		expect(malop.machines.map((m) => m.machineGuid)).toEqual(['m1']);
		expect(malop.warnings).toEqual([
			"Cybereason sent this Malop's affected machines malformed (2 entries without a GUID): 1 was read, what could not be read is left out of the items",
		]);
	});

	it('reports machines that are not a list, and says nothing of a Malop listing none', () => {
		expect(entry(null).warnings).toEqual([
			"Cybereason sent this Malop's affected machines malformed (machines is null, not a list): none could be read, so its affected machines are unknown",
		]);
		expect(entry({ guid: 'm1' }).malformed).toBe(true);
		expect(entry([])).toMatchObject({ malformed: false, warnings: [] });
	});
});
