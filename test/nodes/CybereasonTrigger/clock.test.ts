// The trigger against clocks it cannot trust (issue 12 §1), in n8n's engine against the simulator: a Malop stamped
// in the future, the console's clock moving back or off from n8n's, a Malop whose update time moves back past the
// overlap, and a console without a Date header. Each guard that acts writes exactly one warning to n8n's log.
import type { IDataObject } from 'n8n-workflow';

import type { CursorState } from '../../../nodes/CybereasonTrigger/cursor';
import type { CrimesUnifiedRequest } from '../../../nodes/shared/types';
import type { Simulator, SimulatorOptions } from '../../../simulator';
import {
	activeTrigger,
	consoleWithHistory,
	CRIMES,
	MIN,
	NODE_KEY,
	pairs,
	takeWarnings,
} from './harness';

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	takeWarnings();
});

async function console(options: SimulatorOptions = {}): Promise<Simulator> {
	sim = await consoleWithHistory(options);
	return sim;
}

const pairsOf = (malop: { guid: string; machines: Array<{ guid: string }> }) =>
	malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort();

/** The GreaterThan bound of every crimes/unified query since `from` (one per Malop type and read). */
function windowStarts(simulator: Simulator, from = 0): number[] {
	return simulator.requests
		.slice(from)
		.filter((r) => r.path === CRIMES)
		.map((r) => (r.body as CrimesUnifiedRequest).queryPath[0].filters?.[0]?.values[0] as number);
}

function cursorOf(t: ReturnType<typeof activeTrigger>): CursorState {
	return (t.staticData[NODE_KEY] as IDataObject).cursor as unknown as CursorState;
}

describe('Cybereason Trigger: a Malop stamped in the future', () => {
	it('fires it once, keeps the cursor at the console present, and later Malops still fire', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		takeWarnings();

		const future = simulator.state.addMalop({ machines: 2 });
		const stamp = Date.now() + 365 * DAY;
		simulator.state.updateMalop(future.guid, { lastUpdateTime: stamp });
		expect(pairs(await t.poll())).toEqual(pairsOf(future));
		expect(takeWarnings()).toEqual([
			expect.stringMatching(
				new RegExp(
					`^Cybereason Trigger: 1 Malop is last updated more than 1 minute after the console's present, .*: ${future.guid} \\(${new Date(stamp).toISOString()}\\)\\. It fires as usual, but the cursor stays at the present`,
				),
			),
		]);
		expect(cursorOf(t).cursor).toBeLessThanOrEqual(Date.now() + 60_000);

		// Today's next Malop: found, because the window still starts before the present.
		const sent = simulator.requests.length;
		const later = simulator.state.addMalop({ machines: 1 });
		expect(pairs(await t.poll())).toEqual(pairsOf(later));
		expect(windowStarts(simulator, sent).every((start) => start < later.lastUpdateTime)).toBe(true);
		// The future Malop comes back in every window, but the memory knows it: no repeat, no new warning.
		expect(await t.poll()).toEqual([]);
		expect(takeWarnings()).toEqual([]);
	});
});

describe("Cybereason Trigger: the console's clock", () => {
	it('moves back: the trigger re-anchors in the same poll, emits what came after the jump and repeats nothing', async () => {
		const simulator = await console();
		// Start From a day ago: the first poll emits the history, so the memory holds it when the clock moves.
		const t = activeTrigger(simulator, {
			options: { startFrom: new Date(Date.now() - DAY).toISOString() },
		});
		const history = await t.poll();
		expect(history.length).toBeGreaterThan(0);
		const before = simulator.state.addMalop({ machines: 1 });
		expect(pairs(await t.poll())).toEqual(pairsOf(before));
		takeWarnings();

		simulator.state.shiftClock(-2 * HOUR);
		const after = simulator.state.addMalop({ machines: 2 });
		const sent = simulator.requests.length;
		expect(pairs(await t.poll())).toEqual(pairsOf(after));
		expect(takeWarnings()).toEqual([
			expect.stringMatching(
				/^Cybereason Trigger: The console's clock \(.*\) is 2 hours behind the trigger's cursor: the console's clock moved back or differs from n8n's\. The trigger re-anchored on it and read again from /,
			),
		]);
		// What the console received: the regular window from the old cursor, then the re-read from its present.
		const starts = windowStarts(simulator, sent);
		expect(starts).toHaveLength(4);
		expect(Math.min(...starts)).toBeLessThan(after.lastUpdateTime - 10 * MIN + 5000);
		expect(cursorOf(t).cursor).toBeLessThanOrEqual(after.lastUpdateTime + 60_000);

		expect(await t.poll()).toEqual([]);
		const next = simulator.state.addMalop({ machines: 1 });
		expect(pairs(await t.poll())).toEqual(pairsOf(next));
		expect(takeWarnings()).toEqual([]);
	});

	it('runs behind n8n at activation: the first poll anchors on the console, so its next Malop fires', async () => {
		const simulator = await console({ clockOffsetMs: -15 * MIN });
		const t = activeTrigger(simulator);
		expect(await t.poll()).toEqual([]);
		expect(takeWarnings()).toEqual([
			expect.stringMatching(/The console's clock \(.*\) is 15 minutes behind the trigger's cursor/),
		]);
		const malop = simulator.state.addMalop({ machines: 1 });
		expect(pairs(await t.poll())).toEqual(pairsOf(malop));
		expect(takeWarnings()).toEqual([]);
	});

	it('without a Date header, n8n stands in with a one-hour allowance, said once', async () => {
		const simulator = await console({ dateHeader: false });
		const t = activeTrigger(simulator);
		await t.poll();
		expect(takeWarnings()).toEqual([
			expect.stringMatching(
				/^Cybereason Trigger: The console sends no Date header, so the trigger cannot read its clock: n8n's clock stands in, with an allowance of 1 hour/,
			),
		]);
		const future = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(future.guid, { lastUpdateTime: Date.now() + 30 * DAY });
		expect(pairs(await t.poll())).toEqual(pairsOf(future));
		expect(takeWarnings()).toEqual([
			expect.stringMatching(
				/1 Malop is last updated more than 1 hour after n8n's clock \(the console sends no Date header\)/,
			),
		]);
		const later = simulator.state.addMalop({ machines: 1 });
		expect(pairs(await t.poll())).toEqual(pairsOf(later));
		expect(takeWarnings()).toEqual([]);
	});
});

describe('Cybereason Trigger: a Malop whose update time moved back past the overlap', () => {
	it('the hourly re-read of the remember window emits its new machine once, and nothing it already emitted', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator, {
			options: { startFrom: new Date(Date.now() - DAY).toISOString() },
		});
		await t.poll();
		const malop = simulator.state.addMalop({ machines: 2 });
		expect(pairs(await t.poll())).toEqual(pairsOf(malop));

		// Re-indexed: a machine joins, and the Malop's last-update time lands an hour back.
		const added = simulator.state.addMachineToMalop(malop.guid);
		simulator.state.updateMalop(malop.guid, { lastUpdateTime: Date.now() - HOUR });
		expect(await t.poll()).toEqual([]);
		takeWarnings();

		// An hour later (the state says the last pass was two hours ago; n8n restarts and loads it).
		cursorOf(t).reconciledAt = Date.now() - 2 * HOUR;
		t.active.restart();
		const sent = simulator.requests.length;
		expect(pairs(await t.poll())).toEqual([`${malop.guid}:${added.guid}`]);
		const [warning] = takeWarnings();
		expect(warning).toMatch(
			/^Cybereason Trigger: The hourly re-read of Malops updated since .* found 1 \(Malop, machine\) pair not emitted yet, last updated before the regular window/,
		);
		// What the console received: the window went back to the trigger's start (inside the remember window).
		const since = cursorOf(t).since;
		expect(windowStarts(simulator, sent)).toEqual([since - 1, since - 1]);

		// The pass is done for the hour: the next poll reads the regular window again, and finds nothing new.
		const regular = simulator.requests.length;
		expect(await t.poll()).toEqual([]);
		expect(Math.min(...windowStarts(simulator, regular))).toBeGreaterThan(Date.now() - 11 * MIN);
		expect(takeWarnings()).toEqual([]);
	});
});
