import { normaliseInboxResponse } from '../../../../nodes/shared/malops/inbox';
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
