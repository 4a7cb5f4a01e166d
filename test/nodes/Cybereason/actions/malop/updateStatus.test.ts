// Malop Update Status: both vocabularies, the answer's status checked, the newer data platform named, a lost
// answer settled by reading the status back (never sent twice).

import { addMalop, engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const CRIMES_STATUS = '/rest/crimes/status';
const management = (status: string) => ({
	resource: 'malop',
	operation: 'updateStatus',
	statusType: 'management',
	managementStatus: status,
});
const investigation = (status: string) => ({
	resource: 'malop',
	operation: 'updateStatus',
	statusType: 'investigation',
	investigationStatus: status,
});
const mmng = (guid: string) => `/rest/mmng/v2/malops/${guid}`;

describe('malop updateStatus', () => {
	it('sets the management status with crimes/status, one Malop per request, and the console shows it', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-s1' }]).malop;
		const b = addMalop(sim, [{ name: 'desktop-s2' }]).malop;
		const result = await runNode(
			engineFor(sim),
			[{ malopId: a.guid }, { malopId: b.guid }],
			management('CLOSED'),
		);
		expect(result.error).toBeUndefined();
		expect(out(result)).toEqual([
			{ malopId: a.guid, statusType: 'management', managementStatus: 'CLOSED', message: null },
			{ malopId: b.guid, statusType: 'management', managementStatus: 'CLOSED', message: null },
		]);
		expect(received(sim, CRIMES_STATUS).map((r) => r.body)).toEqual([
			{ [a.guid]: 'CLOSED' },
			{ [b.guid]: 'CLOSED' },
		]);
		expect(sim.state.malops.get(a.guid)?.managementStatus).toBe('CLOSED');
		expect(sim.state.malops.get(a.guid)?.status).toBe('Closed');
	});

	it('sets the investigation status with PUT mmng/v2, sending ReOpened, and reports the console message', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s3' }]);
		const result = await runNode(
			engineFor(sim),
			[{ malopId: malop.guid }],
			investigation('ReOpened'),
		);
		expect(out(result)).toEqual([
			{
				malopId: malop.guid,
				statusType: 'investigation',
				investigationStatus: 'ReOpened',
				message: `Investigation status of Malop ${malop.guid} set to Reopened`,
			},
		]);
		expect(received(sim, mmng(malop.guid), 'PUT').map((r) => r.body)).toEqual([
			{ investigationStatus: 'ReOpened' },
		]);
	});

	it('takes "Reopened" from an expression as ReOpened', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s4' }]);
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid, wanted: 'Reopened' }], {
			...investigation('Closed'),
			investigationStatus: '={{ $json.wanted }}',
		});
		expect(out(result)[0].investigationStatus).toBe('ReOpened');
		expect(received(sim, mmng(malop.guid), 'PUT')[0].body).toEqual({
			investigationStatus: 'ReOpened',
		});
	});

	it.each(['failureEnvelope', 'badRequest'] as const)(
		'on the newer data platform (%s), says to use the investigation status',
		async (managementStatusApi) => {
			const sim = await start();
			sim.state.management.managementStatusApi = managementStatusApi;
			const { malop } = addMalop(sim, [{ name: 'desktop-s5' }]);
			const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], management('CLOSED'));
			expect(result.error?.message).toBe(
				`Cybereason does not take the management status of Malop ${malop.guid} (item 0) on this console: set Status Type to Investigation Status`,
			);
			expect(received(sim, CRIMES_STATUS)).toHaveLength(1);
		},
	);

	it('fails a 200 answer that does not say SUCCESS', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s6' }]);
		sim.state.addFault({ path: mmng(malop.guid), status: 200, body: { message: 'queued' } });
		const result = await runNode(
			engineFor(sim),
			[{ malopId: malop.guid }],
			investigation('Closed'),
		);
		expect(result.error?.message).toBe(
			`Cybereason did not confirm the investigation status of Malop ${malop.guid} (item 0): its answer has no status SUCCESS`,
		);
	});

	it('names the item of an unknown Malop; continue-on-fail pairs the error and sets the others', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s7' }]);
		const result = await runNode(
			engineFor(sim),
			[{ malopId: 'AAAAnoSuchMalop2' }, { malopId: malop.guid }],
			management('FP'),
			{ continueOnFail: true },
		);
		const [bad, good] = out(result);
		expect(bad.error).toBe(
			'Could not set the management status of Malop AAAAnoSuchMalop2 (item 0) to FP: Cybereason rejected the request (HTTP 400): Unknown Malop AAAAnoSuchMalop2',
		);
		expect(bad.httpCode).toBe('400');
		expect(result.output(NODE)[0].pairedItem).toEqual({ item: 0 });
		expect(good.managementStatus).toBe('FP');
	});

	it('refuses a status the console does not take before sending', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s8' }]);
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], management('REOPEN'));
		expect(result.error?.message).toBe('Unknown management status "REOPEN" in item 0');
		expect(received(sim, CRIMES_STATUS)).toHaveLength(0);
	});

	it('settles a lost answer by reading the status back, without sending again', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s9' }]);
		sim.state.addFault({ path: mmng(malop.guid), method: 'PUT', drop: 'afterProcessing' });
		const result = await runNode(
			engineFor(sim),
			[{ malopId: malop.guid }],
			investigation('OnHold'),
		);
		expect(result.error).toBeUndefined();
		const [item] = out(result);
		expect(item.investigationStatus).toBe('OnHold');
		expect(item.note).toMatch(
			/^The console's answer was lost \(.*\); reading the status back shows OnHold\. Nothing was sent again\.$/,
		);
		expect(received(sim, mmng(malop.guid), 'PUT')).toHaveLength(1);
		expect(received(sim, `/rest/mmng/v2/malops/metadata/${malop.guid}`, 'GET')).toHaveLength(1);
	});

	it('fails a lost management answer the status read back does not confirm, without sending again', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-s10' }]);
		// 503 before processing: nothing changed, and the crimes/unified read back shows it.
		sim.state.addFault({ path: CRIMES_STATUS, status: 503 });
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], management('CLOSED'));
		expect(result.error?.message).toBe(
			`Could not set the management status of Malop ${malop.guid} (item 0) to CLOSED: the Cybereason console failed with HTTP 503`,
		);
		expect(result.error?.description).toMatch(
			/the request was not sent again.*Reading the status back gave (UNREAD|TODO|OPEN), not CLOSED\.$/,
		);
		expect(received(sim, CRIMES_STATUS)).toHaveLength(1);
	});
});
