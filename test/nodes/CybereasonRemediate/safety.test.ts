// Never twice, guardrails, bad input: what Remediate sends (and does not) when things go wrong.
import type { IDataObject } from 'n8n-workflow';

import {
	ACTION_FROM_ITEM,
	addMalop,
	DEMO_USER,
	engineFor,
	expectNoSecrets,
	expectPairedInOrder,
	guid,
	item,
	json,
	logs,
	posts,
	reads,
	RESULT_TIME,
	results,
	runRemediate,
	simulator,
	type Simulator,
} from './fixtures';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
});

const WAIT = { waitForCompletion: true, pollInterval: 0.05, timeout: 10 };
const restCalls = (s: Simulator) => s.requests.filter((r) => r.path.startsWith('/rest/'));

describe('never twice', () => {
	it.each(['array', 'map'] as const)(
		'reads the remediation back from the history (%s shape) when the answer is lost after processing, and never POSTs again',
		async (statusShape) => {
			sim = await simulator({ statusShape });
			const a = addMalop(sim, [{ name: 'desktop-d1' }]);
			sim.state.addFault({ method: 'POST', path: '/rest/remediate', drop: 'afterProcessing' });
			const engine = engineFor(sim);
			const result = await runRemediate(
				engine,
				[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
				{
					parameters: ACTION_FROM_ITEM,
					options: WAIT,
				},
			);
			expect(result.error).toBeUndefined();
			expect(posts(sim)).toHaveLength(1);
			expect(posts(sim)[0].status).toBe('dropped');
			const [record] = [...sim.state.remediations.values()];
			const [out] = json(result.output('Remediate'));
			expect(out.remediationId).toBe(record.remediationId);
			expect(out.results).toEqual({
				status: 'SUCCESS',
				message: null,
				errorType: null,
				...RESULT_TIME,
			});
			expect(out.note).toMatch(
				new RegExp(
					`^The console's answer was lost \\(.*\\)\\. Remediation ${record.remediationId} was found in the Malop's history; nothing was sent again\\.$`,
				),
			);
			// One read for the replay guard before sending, one to find out what the console did.
			expect(reads(sim, `/rest/remediate/status/${a.malop.guid}`)).toHaveLength(2);
			expectNoSecrets(engine, result);
		},
	);

	it('reports UNKNOWN, and says it was not sent again, when the connection drops and the history has nothing', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-d2' }]);
		sim.state.addFault({ method: 'POST', path: '/rest/remediate', drop: 'beforeProcessing' });
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: { ...WAIT, timeout: 1 },
			},
		);
		expect(result.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(1);
		expect(sim.state.remediations.size).toBe(0);
		const [out] = json(result.output('Remediate'));
		expect(out.remediationId).toBeNull();
		expect((out.results as IDataObject).status).toBe('UNKNOWN');
		expect((out.results as IDataObject).message).toMatch(
			/no matching remediation appears in the Malop's history \(read \d+ times until the timeout of 1 s\)\. The request was NOT sent again, so that no action runs twice: check the Malop's remediations in the Cybereason console before retrying\.$/,
		);
	});

	it('does not retry a 500 on remediate and reports UNKNOWN with the HTTP code', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-e1' }]);
		sim.state.addFault({ method: 'POST', path: '/rest/remediate', status: 500, times: 5 });
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: ACTION_FROM_ITEM,
				// The history is read again until the timeout before UNKNOWN is final.
				options: { timeout: 0.5, pollInterval: 0.1 },
			},
		);
		expect(result.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(1);
		const [r] = results(result.output('Remediate'));
		expect(r.status).toBe('UNKNOWN');
		expect(r.errorType).toBe('500');
		expect(r.message).toMatch(
			/^The console's answer was lost \(Could not start the remediation of Malop .*HTTP 500.*\)/,
		);
		expect(r.message).toContain('NOT sent again');
	});

	it('logs in again when the session expires between the POST and the progress reads, and sends the action once', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-s1' }]);
		const engine = sim.state.engine;
		const create = engine.create.bind(engine);
		// The POST is answered (its session was checked on arrival); every session dies right after it.
		engine.create = (...args: Parameters<typeof create>) => {
			const record = create(...args);
			sim!.state.expireSession();
			return record;
		};
		const remediate = engineFor(sim);
		const result = await runRemediate(
			remediate,
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: ACTION_FROM_ITEM,
				options: WAIT,
			},
		);
		expect(result.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(1);
		expect(sim.state.logins).toBe(2);
		const progress = reads(sim, '/rest/remediate/progress/');
		expect(progress[0].status).toBe(302);
		expect(progress.at(-1)?.status).toBe(200);
		expect(progress.at(-1)?.cookie).not.toBe(progress[0].cookie);
		expect(results(result.output('Remediate'))[0].status).toBe('SUCCESS');
		expectNoSecrets(remediate, result);
	});
});

describe('replay guard', () => {
	it('does not send again what this user started within the window (a re-run, Retry On Fail)', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-r1' }, { name: 'desktop-r2' }]);
		const input = a.machines.map((m, i) => item(a.malop, m, 'KILL_PROCESS', a.targets[i].process));
		const engine = engineFor(sim);
		const first = await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM });
		const second = await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM });
		expect(posts(sim)).toHaveLength(1);
		const firstOut = json(first.output('Remediate'));
		const secondOut = json(second.output('Remediate'));
		expect(secondOut.map((o) => o.remediationId)).toEqual(firstOut.map((o) => o.remediationId));
		expect(secondOut[0].note).toMatch(
			/^Already sent by remediation [0-9a-f-]{36} at .*, within the replay guard window; not sent again\.$/,
		);
		expect(second.hints('Remediate').map((h) => h.message)).toEqual([
			`Replay guard: 2 action(s) of Malop ${a.malop.guid} were already started by ${DEMO_USER.username} within the last 600 s and were not sent again.`,
		]);

		const third = await runRemediate(engine, input, {
			parameters: ACTION_FROM_ITEM,
			options: { replayGuardWindow: 0 },
		});
		expect(posts(sim)).toHaveLength(2);
		expect(json(third.output('Remediate'))[0].remediationId).not.toBe(firstOut[0].remediationId);
	});

	it('does not send again while a just-sent remediation of ours has not listed its actions yet', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-r9' }]);
		const input = [item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)];
		const engine = engineFor(sim);
		const first = json(
			(await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM })).output('Remediate'),
		);
		// A console that has not dispatched the actions yet shows the remediation with an empty status log.
		const sent = sim.state.remediations.get(String(first[0].remediationId))!;
		sim.state.addFault({
			method: 'GET',
			path: `/rest/remediate/status/${a.malop.guid}`,
			status: 200,
			body: [
				{
					malopId: a.malop.guid,
					remediationId: sent.remediationId,
					start: sent.start,
					initiatingUser: DEMO_USER.username,
					statusLog: [],
				},
			],
		});
		const second = json(
			(await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM })).output('Remediate'),
		);
		expect(posts(sim)).toHaveLength(1);
		expect(second[0].remediationId).toBe(first[0].remediationId);
		expect(second[0].note).toMatch(
			/has not listed its actions yet and may hold this one; not sent again/,
		);
	});

	it('sends again only what failed: under Retry On Fail the valid actions are not repeated', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-r3' }]);
		const other = addMalop(sim, [{ name: 'desktop-elsewhere' }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			// A machine of another Malop: the console answers INVALID_ARGUMENT and the node fails.
			item(a.malop, other.machines[0], 'ISOLATE_MACHINE'),
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			node: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
		});
		expect(result.error?.message).toMatch(/^Cybereason refused Isolate Machine on machine/);
		const sent = posts(sim).map((r) => (r.body as IDataObject).actionsByMachine);
		expect(sent).toEqual([
			{
				[a.machines[0].guid]: [{ targetId: a.targets[0].process.guid, actionType: 'KILL_PROCESS' }],
				[other.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }],
			},
			{ [other.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
		]);
	});
});

describe('guardrails', () => {
	it('skips protected machines, by name from the item or looked up by GUID, and sends the rest', async () => {
		sim = await simulator();
		const a = addMalop(sim, [
			{ name: 'DC01' },
			{ name: 'dc02.corp.local' },
			{ name: 'desktop-g1' },
		]);
		const [dc01, dc02, desktop] = a.machines;
		const input = [
			item(a.malop, dc01, 'ISOLATE_MACHINE'),
			// No machineName: the node asks the console for the name before deciding.
			{ ...item(a.malop, dc02, 'KILL_PROCESS', a.targets[1].process), machineName: undefined },
			item(a.malop, desktop, 'KILL_PROCESS', a.targets[2].process),
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { protectedMachines: 'dc01\ndc02' },
		});
		expect(result.error).toBeUndefined();
		const out = json(result.output('Remediate'));
		expectPairedInOrder(result.output('Remediate'), 3);
		expect(out[0]).toEqual({
			malopId: a.malop.guid,
			machineGuid: dc01.guid,
			machineName: 'DC01',
			actionType: 'ISOLATE_MACHINE',
			targetId: null,
			remediationId: null,
			initiatingUser: null,
			results: {
				status: 'SKIPPED_PROTECTED',
				message: 'Machine DC01 matches the Protected Machines entry "dc01"; nothing was sent',
				errorType: null,
				...RESULT_TIME,
			},
		});
		expect((out[1].results as IDataObject).status).toBe('SKIPPED_PROTECTED');
		expect(out[1].machineName).toBe('dc02.corp.local');
		expect((out[2].results as IDataObject).status).toBe('PENDING');
		// (The login itself probes sensors/query without filters.)
		const lookups = posts(sim, '/rest/sensors/query').filter(
			(r) => (r.body as IDataObject).filters,
		);
		expect(lookups).toHaveLength(1);
		expect((lookups[0].body as IDataObject).filters).toEqual([
			{ fieldName: 'guid', operator: 'Equals', values: [dc02.guid] },
		]);
		expect(posts(sim)).toHaveLength(1);
		expect(
			Object.keys((posts(sim)[0].body as IDataObject).actionsByMachine as IDataObject),
		).toEqual([desktop.guid]);
	});

	it('refuses an item whose name cannot be checked against a name-based protection, and never sends it', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-g2' }]);
		const unknownMachine = guid('GHST');
		const input = [
			{ malopId: a.malop.guid, machineGuid: unknownMachine, actionType: 'ISOLATE_MACHINE' },
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
		];
		const strict = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { protectedMachines: 'dc01' },
		});
		expect(strict.error?.message).toBe(
			`Cannot check item 0 against Protected Machines: the name of machine ${unknownMachine} is unknown`,
		);
		expect(posts(sim)).toHaveLength(0);

		const lenient = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { protectedMachines: 'dc01' },
			continueOnFail: true,
		});
		const out = json(lenient.output('Remediate'));
		expect(out[0].error).toBe(
			`Cannot check item 0 against Protected Machines: the name of machine ${unknownMachine} is unknown`,
		);
		expect(out[0].description).toContain('Add machineName to the item');
		expect((out[1].results as IDataObject).status).toBe('PENDING');
		expect(
			Object.keys((posts(sim)[0].body as IDataObject).actionsByMachine as IDataObject),
		).toEqual([a.machines[0].guid]);
	});

	it('refuses the whole run over Max Targets Per Run and sends nothing at all', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-c1' }, { name: 'desktop-c2' }]);
		const b = addMalop(sim, [{ name: 'desktop-c3' }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, a.machines[1], 'ISOLATE_MACHINE'),
			item(b.malop, b.machines[0], 'ISOLATE_MACHINE'),
		];
		const refused = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { maxTargetsPerRun: 2 },
			continueOnFail: true,
		});
		expectPairedInOrder(refused.output('Remediate'), 4);
		expect(json(refused.output('Remediate')).map((o) => o.error)).toEqual(
			Array(4).fill(
				'Refused: this run would act on 3 targets, more than Max Targets Per Run (2). Nothing was sent.',
			),
		);
		const strict = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { maxTargetsPerRun: 2 },
		});
		expect(strict.error?.message).toBe(
			'Refused: this run would act on 3 targets, more than Max Targets Per Run (2). Nothing was sent.',
		);
		expect(restCalls(sim)).toHaveLength(0);

		// The duplicate counts once: three distinct targets fit a cap of three.
		const allowed = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { maxTargetsPerRun: 3 },
		});
		expect(allowed.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(2);
	});

	it('dry run sends nothing and shows the exact request a real run sends', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-x1' }, { name: 'desktop-x2' }]);
		const input = [
			item(a.malop, a.machines[0], 'QUARANTINE_FILE', a.targets[0].file),
			item(a.malop, a.machines[1], 'ISOLATE_MACHINE'),
		];
		const engine = engineFor(sim);
		const dry = await runRemediate(engine, input, {
			parameters: ACTION_FROM_ITEM,
			options: { dryRun: true, waitForCompletion: true },
		});
		expect(dry.error).toBeUndefined();
		expect(restCalls(sim)).toHaveLength(0);
		const out = json(dry.output('Remediate'));
		expectPairedInOrder(dry.output('Remediate'), 2);
		expect(out[0].results).toEqual({
			status: 'DRY_RUN',
			message: `Dry run: nothing was sent. 'request' is what would have been sent for Malop ${a.malop.guid}.`,
			errorType: null,
			...RESULT_TIME,
		});
		expect(out[0].remediationId).toBeNull();
		expect(out[0].request).toEqual(out[1].request);

		await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM });
		const [real] = posts(sim);
		expect(out[0].request).toEqual({ method: 'POST', path: real.path, body: real.body });
	});
});

describe('bad input', () => {
	it('stops before sending anything and names the item and what to fix', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-b1' }]);
		const input = [
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
			item(a.malop, a.machines[0], 'DELETE_REGISTRY_KEY'),
		];
		const result = await runRemediate(engineFor(sim), input, { parameters: ACTION_FROM_ITEM });
		expect(result.error?.message).toBe(
			'No Target ID in item 1: Delete Registry Key needs the GUID of the registry (autorun) element to delete',
		);
		expect(restCalls(sim)).toHaveLength(0);
	});

	it('with continue-on-fail, turns each bad item into an error item paired to it and sends the others', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-b2' }]);
		const other = addMalop(sim, [{ name: 'desktop-b3' }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			{ ...item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].file), malopId: '' },
			item(a.malop, a.machines[0], 'REBOOT_MACHINE'),
			// Not part of this Malop: the console answers INVALID_ARGUMENT for it, the other action still runs.
			item(a.malop, other.machines[0], 'KILL_PROCESS', other.targets[0].process),
		];
		const engine = engineFor(sim);
		const result = await runRemediate(engine, input, {
			parameters: ACTION_FROM_ITEM,
			options: WAIT,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		const outItems = result.output('Remediate');
		expectPairedInOrder(outItems, 4);
		const out = json(outItems);
		expect((out[0].results as IDataObject).status).toBe('SUCCESS');
		// What the item asked for, as far as it is known, comes with the error.
		expect(out[1]).toEqual({
			error: 'No Malop ID in item 1',
			description: expect.stringContaining("needs 'malopId'"),
			machineGuid: a.machines[0].guid,
			actionType: 'KILL_PROCESS',
			targetId: a.targets[0].file.guid,
		});
		expect(out[2].error).toBe('Unknown action "REBOOT_MACHINE" in item 2');
		expect(out[3].error).toBe(
			`Cybereason refused Kill Process on target ${other.targets[0].process.guid} on machine ${other.machines[0].guid} (item 3): it is not part of Malop ${a.malop.guid}. The other 1 action(s) of remediation ${out[0].remediationId} were sent.`,
		);
		expect(out[3].description).toMatch(
			/^The console answered INVALID_ARGUMENT: "Failed to get ProbeRemediationRequest/,
		);
		expect(out[3]).toMatchObject({
			malopId: a.malop.guid,
			machineGuid: other.machines[0].guid,
			remediationId: out[0].remediationId,
		});
		expect(posts(sim)).toHaveLength(1);
		expectNoSecrets(engine, result);
	});

	it('without continue-on-fail, fails on INVALID_ARGUMENT and says what else of that remediation was sent', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-b4' }]);
		const other = addMalop(sim, [{ name: 'desktop-b5' }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, other.machines[0], 'ISOLATE_MACHINE'),
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: WAIT,
		});
		const [record] = [...sim.state.remediations.values()];
		expect(result.error?.message).toBe(
			`Cybereason refused Isolate Machine on machine ${other.machines[0].guid} (item 1): it is not part of Malop ${a.malop.guid}. The other 1 action(s) of remediation ${record.remediationId} were sent.`,
		);
		// It fails at once, without waiting for the rest.
		expect(reads(sim, '/rest/remediate/progress/')).toHaveLength(0);
	});

	it('with continue-on-fail, a Malop refused by the console fails its own items only', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-b6' }]);
		const input = [
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
			// Not an isolation: that one would share the first item's (isolation is sent once per machine).
			{
				malopId: '11.-4319097116418812958',
				machineGuid: a.machines[0].guid,
				actionType: 'KILL_PROCESS',
				targetId: a.targets[0].process.guid,
			},
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			// The POST's own refusal; with the guard on, its history read fails first (see replay guard).
			options: { replayGuardWindow: 0 },
			continueOnFail: true,
		});
		const out = json(result.output('Remediate'));
		expect((out[0].results as IDataObject).status).toBe('PENDING');
		expect(out[1]).toMatchObject({
			error:
				'Could not start the remediation of Malop 11.-4319097116418812958: Cybereason rejected the request (HTTP 400): Malop ID is not valid: 11.-4319097116418812958',
			httpCode: '400',
			malopId: '11.-4319097116418812958',
		});
	});
});

describe('a Malop without a machine', () => {
	it('skips an item whose own machineGuid is null (Get Malops, machines unknown) and sends the others', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-n1' }]);
		const empty = addMalop(sim, []);
		const input = [
			{
				malopId: empty.malop.guid,
				machineGuid: null,
				machineName: null,
				actionType: 'ISOLATE_MACHINE',
			},
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
		];
		const result = await runRemediate(engineFor(sim), input, { parameters: ACTION_FROM_ITEM });
		expect(result.error).toBeUndefined();
		const out = json(result.output('Remediate'));
		expect(out[0]).toMatchObject({
			malopId: empty.malop.guid,
			machineGuid: null,
			remediationId: null,
			results: { status: 'SKIPPED_NO_MACHINE', errorType: null },
		});
		expect((out[1].results as IDataObject).status).toBe('PENDING');
		expect(posts(sim).map((r) => (r.body as IDataObject).malopId)).toEqual([a.malop.guid]);
		expect(sim.state.remediations.size).toBe(1);
	});

	it.each([
		['absent', {}],
		['empty', { machineGuid: '' }],
		['null, with no Malop ID', { machineGuid: null, malopId: '' }],
	])('still refuses an item whose machine GUID is %s, and sends nothing', async (_, fields) => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-n2' }]);
		const input = [
			{ malopId: a.malop.guid, actionType: 'ISOLATE_MACHINE', ...fields },
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
		];
		const result = await runRemediate(engineFor(sim), input, { parameters: ACTION_FROM_ITEM });
		expect(result.error?.message).toMatch(/^No (Machine GUID|Malop ID) in item 0$/);
		expect(restCalls(sim)).toHaveLength(0);
	});
});

describe('initiator', () => {
	it.each([
		['an object', { name: 'analyst' }, 'object'],
		['a list', ['a@acme.com', 'b@acme.com'], 'a list'],
	])(
		'refuses an Initiator User Name that is %s, and sends the other items',
		async (_, user, got) => {
			sim = await simulator();
			const a = addMalop(sim, [{ name: 'desktop-i2' }, { name: 'desktop-i3' }]);
			const input = [
				item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process, { user }),
				item(a.malop, a.machines[1], 'KILL_PROCESS', a.targets[1].process, {
					user: 'analyst@acme.com',
				}),
			];
			const parameters = { ...ACTION_FROM_ITEM, initiatorUserName: '={{ $json.user }}' };
			const strict = await runRemediate(engineFor(sim), input, { parameters });
			expect(strict.error?.message).toBe('The Initiator User Name of item 0 is not a user name');
			expect(restCalls(sim)).toHaveLength(0);

			const lenient = await runRemediate(engineFor(sim), input, {
				parameters,
				continueOnFail: true,
			});
			const out = json(lenient.output('Remediate'));
			expect(out[0]).toEqual({
				error: 'The Initiator User Name of item 0 is not a user name',
				description: expect.stringContaining(`got ${got}`),
				malopId: a.malop.guid,
				machineGuid: a.machines[0].guid,
				actionType: 'KILL_PROCESS',
				targetId: a.targets[0].process.guid,
			});
			expect(posts(sim).map((r) => (r.body as IDataObject).initiatorUserName)).toEqual([
				'analyst@acme.com',
			]);
			expect(JSON.stringify(posts(sim).map((r) => r.body))).not.toContain('[object Object]');
		},
	);

	it('sends the given initiator and reads progress as that user', async () => {
		sim = await simulator({ progressRequiresInitiator: true });
		const a = addMalop(sim, [{ name: 'desktop-i1' }]);
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: { ...ACTION_FROM_ITEM, initiatorUserName: 'analyst@acme.com' },
				options: WAIT,
			},
		);
		expect(result.error).toBeUndefined();
		expect((posts(sim)[0].body as IDataObject).initiatorUserName).toBe('analyst@acme.com');
		const [out] = json(result.output('Remediate'));
		expect(out.initiatingUser).toBe('analyst@acme.com');
		expect((out.results as IDataObject).status).toBe('SUCCESS');
		expect(reads(sim, '/rest/remediate/progress/analyst@acme.com/').length).toBeGreaterThan(0);
	});
});
