import type { RemediationResponse } from '../../nodes/shared/types';
import {
	DEMO_USER,
	generateDataset,
	type SimMalop,
	type Simulator,
	type SimulatorOptions,
} from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;
const STEP = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const dataset = generateDataset({
	malops: 12,
	machinesPerMalop: 3,
	logonSessionShare: 0,
	seed: 21,
	baseTime: BASE,
});
// Every machine online, so the default outcome is SUCCESS unless a test says otherwise.
for (const m of dataset.machines) m.connected = true;

function pickMalop(): SimMalop {
	const malop = dataset.malops.find((m) => m.machines.length >= 2);
	if (!malop) throw new Error('fixture has no multi-machine Malop');
	return malop;
}

function processOn(malop: SimMalop, machineIndex = 0) {
	const machine = malop.machines[machineIndex];
	const target = malop.targets.find((t) => t.kind === 'process' && t.machineGuid === machine.guid);
	if (!target) throw new Error('no process target');
	return { machine, target };
}

describe('remediation lifecycle', () => {
	let clock: ManualClock;
	let sim: Simulator;
	let cookie: string;

	async function start(extra: SimulatorOptions = {}) {
		clock = new ManualClock(BASE);
		({ sim, cookie } = await started({ clock, dataset, remediationStepMs: STEP, ...extra }));
	}
	afterEach(() => sim.close());

	const remediate = (body: unknown) => call(sim, 'POST', '/rest/remediate', { cookie, body });
	const progress = async (r: RemediationResponse, user = r.initiatingUser) => {
		const answer = await call(
			sim,
			'GET',
			`/rest/remediate/progress/${encodeURIComponent(user)}/${r.malopId}/${r.remediationId}`,
			{ cookie },
		);
		return answer;
	};
	const statuses = (r: RemediationResponse) => r.statusLog.map((e) => `${e.targetId}:${e.status}`);

	it('answers at once with an empty statusLog, then PENDING → IN_PROGRESS → SUCCESS one step at a time', async () => {
		await start();
		const malop = pickMalop();
		const { machine, target } = processOn(malop);
		const answer = await remediate({
			malopId: malop.guid,
			initiatorUserName: '',
			actionsByMachine: { [machine.guid]: [{ targetId: target.guid, actionType: 'KILL_PROCESS' }] },
		});
		expect(answer.status).toBe(200);
		const r = answer.json as RemediationResponse;
		expect(Object.keys(r)).toEqual([
			'malopId',
			'remediationId',
			'start',
			'initiatingUser',
			'statusLog',
		]);
		expect(r.malopId).toBe(malop.guid);
		expect(r.remediationId).toMatch(UUID);
		expect(r.start).toBe(BASE);
		expect(r.initiatingUser).toBe(DEMO_USER.username);
		expect(r.statusLog).toEqual([]);

		let now = (await progress(r)).json as RemediationResponse;
		expect(now.statusLog).toEqual([
			{
				machineId: machine.guid,
				targetId: target.guid,
				status: 'PENDING',
				actionType: 'KILL_PROCESS',
				timestamp: BASE,
			},
		]);
		clock.advance(STEP);
		now = (await progress(r)).json as RemediationResponse;
		expect(statuses(now)).toEqual([`${target.guid}:PENDING`, `${target.guid}:IN_PROGRESS`]);
		expect(now.end).toBeUndefined();
		clock.advance(STEP * 10);
		now = (await progress(r)).json as RemediationResponse;
		expect(statuses(now)).toEqual([
			`${target.guid}:PENDING`,
			`${target.guid}:IN_PROGRESS`,
			`${target.guid}:SUCCESS`,
		]);
		expect(now.statusLog.map((e) => e.timestamp)).toEqual([BASE, BASE + STEP, BASE + 2 * STEP]);
		expect(now.end).toBe(BASE + 2 * STEP);
		expect(Object.keys(now)).toEqual([
			'malopId',
			'remediationId',
			'start',
			'end',
			'initiatingUser',
			'statusLog',
		]);
		expect(sim.state.remediations.get(r.remediationId)?.end).toBe(BASE + 2 * STEP);
	});

	it('can answer with the PENDING entries right away, and keeps the given initiator', async () => {
		await start({ initialStatusLog: 'pending' });
		const malop = pickMalop();
		const a = processOn(malop, 0);
		const b = processOn(malop, 1);
		const r = (
			await remediate({
				malopId: malop.guid,
				initiatorUserName: 'analyst@demo.local',
				actionsByMachine: {
					[a.machine.guid]: [{ targetId: a.target.guid, actionType: 'KILL_PROCESS' }],
					[b.machine.guid]: [
						{ targetId: b.target.guid, actionType: 'KILL_PROCESS' },
						{ actionType: 'ISOLATE_MACHINE' },
					],
				},
			})
		).json as RemediationResponse;
		expect(r.initiatingUser).toBe('analyst@demo.local');
		expect(r.statusLog.map((e) => [e.machineId, e.targetId, e.status, e.actionType])).toEqual([
			[a.machine.guid, a.target.guid, 'PENDING', 'KILL_PROCESS'],
			[b.machine.guid, b.target.guid, 'PENDING', 'KILL_PROCESS'],
			// ISOLATE_MACHINE echoes the machine GUID as its target.
			[b.machine.guid, b.machine.guid, 'PENDING', 'ISOLATE_MACHINE'],
		]);
		expect(sim.state.machines.get(b.machine.guid)?.isolated).toBe(false);
		clock.advance(2 * STEP);
		const done = (await progress(r)).json as RemediationResponse;
		expect(done.statusLog.filter((e) => e.status === 'SUCCESS')).toHaveLength(3);
		expect(done.end).toBe(BASE + 2 * STEP);
		expect(sim.state.machines.get(b.machine.guid)?.isolated).toBe(true);
	});

	it('shows an isolation in the sensors list without anyone reading its progress', async () => {
		await start();
		const malop = pickMalop();
		const machine = malop.machines[0];
		await remediate({
			malopId: malop.guid,
			actionsByMachine: { [machine.guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
		});
		clock.advance(2 * STEP);
		const filters = [{ fieldName: 'guid', operator: 'Equals', values: [machine.guid] }];
		const answer = await call(sim, 'POST', '/rest/sensors/query', {
			cookie,
			body: { limit: 10, offset: 0, filters },
		});
		expect(
			(answer.json as { sensors: Array<{ isolated: boolean }> }).sensors.map((s) => s.isolated),
		).toEqual([true]);
	});

	it('fails invalid actions at once with INVALID_ARGUMENT, in the immediate answer', async () => {
		await start();
		const malop = pickMalop();
		const { machine, target } = processOn(malop);
		const other = dataset.malops.find(
			(m) => m.guid !== malop.guid && !m.machines.some((x) => x.guid === machine.guid),
		);
		const outsider = other?.machines[0];
		const file = malop.targets.find((t) => t.kind === 'file' && t.machineGuid === machine.guid);
		const elsewhere = malop.targets.find(
			(t) => t.kind === 'process' && t.machineGuid !== machine.guid,
		);
		if (!outsider || !file || !elsewhere) throw new Error('fixture too small');
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[machine.guid]: [
						{ targetId: target.guid, actionType: 'KILL_PROCESS' },
						{ actionType: 'KILL_PROCESS' },
						{ targetId: 'no-such-target', actionType: 'QUARANTINE_FILE' },
						{ targetId: elsewhere.guid, actionType: 'KILL_PROCESS' },
						{ targetId: file.guid, actionType: 'KILL_PROCESS' },
						{ targetId: 'something-else', actionType: 'ISOLATE_MACHINE' },
					],
					[outsider.guid]: [{ actionType: 'ISOLATE_MACHINE' }],
				},
			})
		).json as RemediationResponse;
		expect(r.statusLog).toHaveLength(6);
		for (const e of r.statusLog) {
			expect(e.status).toBe('FAILURE');
			expect(e.error?.errorType).toBe('INVALID_ARGUMENT');
			expect(e.error?.message).toMatch(
				/^Failed to get ProbeRemediationRequest for action: com\.cybereason\.commads\.remediation\.RemediationAction@[0-9a-f]+\. Ignoring remediation action\.$/,
			);
			expect(e.timestamp).toBe(BASE);
		}
		expect(r.end).toBeUndefined();
		clock.advance(2 * STEP);
		const done = (await progress(r)).json as RemediationResponse;
		expect(done.statusLog.filter((e) => e.status === 'SUCCESS').map((e) => e.targetId)).toEqual([
			target.guid,
		]);
		expect(done.end).toBe(BASE + 2 * STEP);
	});

	it('ends at once when every action is invalid', async () => {
		await start();
		const malop = pickMalop();
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[malop.machines[0].guid]: [{ actionType: 'KILL_PROCESS', targetId: 'x' }],
				},
			})
		).json as RemediationResponse;
		expect(r.end).toBe(BASE);
		expect(r.statusLog).toHaveLength(1);
	});

	it.each([
		['not an object', '"KILL"'],
		['no actionsByMachine', JSON.stringify({ malopId: 'x' })],
		['actions not a list', JSON.stringify({ actionsByMachine: { m: {} } })],
		[
			'unknown actionType',
			JSON.stringify({ actionsByMachine: { m: [{ actionType: 'WIPE_DISK' }] } }),
		],
		['no actions at all', JSON.stringify({ actionsByMachine: {} })],
		['invalid JSON', '{actionsByMachine'],
	])('rejects a malformed body (%s) with 400 and a JSON message', async (_name, raw) => {
		await start();
		const answer = await call(sim, 'POST', '/rest/remediate', { cookie, raw });
		expect(answer.status).toBe(400);
		expect(typeof asRecord(answer.json).message).toBe('string');
		expect(sim.state.remediations.size).toBe(0);
	});

	it('rejects an unknown malopId with 400', async () => {
		await start();
		const malop = pickMalop();
		const answer = await remediate({
			malopId: '11.404',
			actionsByMachine: { [malop.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
		});
		expect(answer.status).toBe(400);
		expect(String(asRecord(answer.json).message)).toContain('11.404');
	});

	it('accepts a remediation without malopId for any known machine and target', async () => {
		await start();
		const { machine, target } = processOn(pickMalop());
		const r = (
			await remediate({
				actionsByMachine: {
					[machine.guid]: [{ targetId: target.guid, actionType: 'KILL_PROCESS' }],
				},
			})
		).json as RemediationResponse;
		expect(r.malopId).toBeNull();
		clock.advance(2 * STEP);
		const done = (
			await call(
				sim,
				'GET',
				`/rest/remediate/progress/${DEMO_USER.username}/null/${r.remediationId}`,
				{ cookie },
			)
		).json as RemediationResponse;
		expect(done.statusLog.at(-1)?.status).toBe('SUCCESS');
	});

	it('applies configured outcomes: FAILURE with errorType, target outcome beats machine outcome', async () => {
		await start();
		const malop = pickMalop();
		const { machine, target } = processOn(malop);
		const file = malop.targets.find((t) => t.kind === 'file' && t.machineGuid === machine.guid);
		if (!file) throw new Error('no file');
		sim.state.setOutcome(machine.guid, {
			status: 'FAILURE',
			errorType: 'SENSOR_ERROR',
			message: 'Access denied',
		});
		sim.state.setOutcome(file.guid, { status: 'SUCCESS' });
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[machine.guid]: [
						{ targetId: target.guid, actionType: 'KILL_PROCESS' },
						{ targetId: file.guid, actionType: 'QUARANTINE_FILE' },
					],
				},
			})
		).json as RemediationResponse;
		clock.advance(2 * STEP);
		const done = (await progress(r)).json as RemediationResponse;
		const last = (id: string) => done.statusLog.filter((e) => e.targetId === id).at(-1);
		expect(last(target.guid)).toMatchObject({
			status: 'FAILURE',
			error: { errorType: 'SENSOR_ERROR', message: 'Access denied' },
		});
		expect(last(file.guid)?.status).toBe('SUCCESS');
		expect(last(file.guid)).not.toHaveProperty('error');
	});

	it('keeps an offline machine PENDING until it reconnects', async () => {
		await start();
		const malop = pickMalop();
		const { machine, target } = processOn(malop);
		sim.state.setMachineConnected(machine.guid, false);
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[machine.guid]: [{ targetId: target.guid, actionType: 'KILL_PROCESS' }],
				},
			})
		).json as RemediationResponse;
		clock.advance(100 * STEP);
		let now = (await progress(r)).json as RemediationResponse;
		expect(statuses(now)).toEqual([`${target.guid}:PENDING`]);
		expect(now.end).toBeUndefined();

		sim.state.setMachineConnected(machine.guid, true);
		const back = clock.now();
		clock.advance(STEP);
		now = (await progress(r)).json as RemediationResponse;
		expect(now.statusLog.map((e) => [e.status, e.timestamp])).toEqual([
			['PENDING', BASE],
			['IN_PROGRESS', back + STEP],
		]);
		clock.advance(STEP);
		now = (await progress(r)).json as RemediationResponse;
		expect(now.statusLog.at(-1)?.status).toBe('SUCCESS');
	});

	it('treats an OFFLINE outcome like a disconnected sensor, even when connected', async () => {
		await start();
		const malop = pickMalop();
		const { machine, target } = processOn(malop);
		sim.state.setOutcome(target.guid, { status: 'OFFLINE' });
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[machine.guid]: [{ targetId: target.guid, actionType: 'KILL_PROCESS' }],
				},
			})
		).json as RemediationResponse;
		clock.advance(50 * STEP);
		expect(statuses((await progress(r)).json as RemediationResponse)).toEqual([
			`${target.guid}:PENDING`,
		]);
	});

	it('aborts what is not finished and lists every remediation of the Malop', async () => {
		await start();
		const malop = pickMalop();
		const a = processOn(malop, 0);
		const b = processOn(malop, 1);
		sim.state.setOutcome(b.machine.guid, { status: 'OFFLINE' });
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: {
					[a.machine.guid]: [{ targetId: a.target.guid, actionType: 'KILL_PROCESS' }],
					[b.machine.guid]: [{ targetId: b.target.guid, actionType: 'KILL_PROCESS' }],
				},
			})
		).json as RemediationResponse;
		clock.advance(2 * STEP);
		const aborted = await call(
			sim,
			'POST',
			`/rest/remediate/abort/${malop.guid}/${r.remediationId}`,
			{ cookie },
		);
		expect(aborted.status).toBe(200);
		const res = aborted.json as RemediationResponse;
		const last = (id: string) => res.statusLog.filter((e) => e.targetId === id).at(-1)?.status;
		expect(last(a.target.guid)).toBe('SUCCESS');
		expect(last(b.target.guid)).toBe('ABORTED');
		expect(res.end).toBe(clock.now());

		const second = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: { [a.machine.guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
			})
		).json as RemediationResponse;
		const status = await call(sim, 'GET', `/rest/remediate/status/${malop.guid}`, { cookie });
		expect(status.status).toBe(200);
		expect((status.json as RemediationResponse[]).map((x) => x.remediationId)).toEqual([
			r.remediationId,
			second.remediationId,
		]);
		expect((await call(sim, 'GET', '/rest/remediate/status/11.404', { cookie })).status).toBe(400);
	});

	it('can list statuses as a map keyed by remediationId', async () => {
		await start({ statusShape: 'map' });
		const malop = pickMalop();
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: { [malop.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
			})
		).json as RemediationResponse;
		const status = asRecord(
			(await call(sim, 'GET', `/rest/remediate/status/${malop.guid}`, { cookie })).json,
		);
		expect(Object.keys(status)).toEqual([r.remediationId]);
		expect(asRecord(status[r.remediationId]).remediationId).toBe(r.remediationId);
	});

	it('answers 400 for an unknown remediation, and optionally for a user who did not start it', async () => {
		await start({ progressRequiresInitiator: true });
		const malop = pickMalop();
		const r = (
			await remediate({
				malopId: malop.guid,
				actionsByMachine: { [malop.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
			})
		).json as RemediationResponse;
		expect((await progress(r)).status).toBe(200);
		expect((await progress(r, 'someone@else')).status).toBe(400);
		expect(
			(await progress({ ...r, remediationId: '00000000-0000-4000-8000-000000000000' })).status,
		).toBe(400);
		expect((await progress({ ...r, malopId: dataset.malops[5].guid })).status).toBe(400);
		expect(
			(await call(sim, 'POST', `/rest/remediate/abort/${malop.guid}/nope`, { cookie })).status,
		).toBe(400);
	});
});
