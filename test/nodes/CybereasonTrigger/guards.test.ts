import {
	advanceCursor,
	createCursorState,
	type CursorState,
	type MalopSnapshot,
} from '../../../nodes/CybereasonTrigger/cursor';
import {
	aheadOf,
	applyPlan,
	CLOCK_ALLOWANCE_MS,
	consolePresent,
	guardWarnings,
	planPoll,
	RECONCILE_EVERY_MS,
} from '../../../nodes/CybereasonTrigger/guards';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const options = { overlapMs: 10 * MIN, retentionMs: 30 * DAY, maxMalops: 1000 };
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

const malop = (malopId: string, lastUpdateTime: number, machineGuids: string[]): MalopSnapshot => ({
	malopId,
	lastUpdateTime,
	machineGuids,
});

/** A trigger that started a day before T0, saw M1 at T0 and made its reconciliation pass just now. */
function running(): CursorState {
	const state = { ...createCursorState(T0 - DAY), reconciledAt: T0 };
	advanceCursor(state, [malop('M1', T0, ['a'])], 'newMalopMachine', options);
	return state;
}

describe('trigger guards: the console present', () => {
	it("comes from the console's Date header, or from n8n's clock with a wider allowance", () => {
		expect(consolePresent(T0, T0 + 5 * MIN)).toEqual({
			now: T0,
			allowanceMs: CLOCK_ALLOWANCE_MS,
			fromConsole: true,
		});
		expect(consolePresent(undefined, T0)).toEqual({
			now: T0,
			allowanceMs: 3_600_000,
			fromConsole: false,
		});
	});

	it('re-anchors cursor and floor on a present well before the cursor, not on one within the allowance', () => {
		const state = running();
		const present = consolePresent(T0 - 2 * 60 * MIN, T0);
		const plan = planPoll(state, options, T0, present);
		expect(plan.anchor).toEqual({
			cursor: T0 - 120 * MIN,
			since: T0 - DAY,
			movedBackMs: 120 * MIN,
		});
		expect(plan.start).toBe(T0 - 130 * MIN);
		expect(planPoll(state, options, T0, consolePresent(T0 - 30_000, T0)).anchor).toBeUndefined();
		// Nothing changes until the poll succeeded and applies it.
		expect(state.cursor).toBe(T0);
		applyPlan(state, plan, present, T0);
		expect(state).toMatchObject({ cursor: T0 - 120 * MIN, since: T0 - DAY });
	});

	it('lowers the floor when the clock moved back past it, so the Malops after the jump are in the window', () => {
		const state = { ...createCursorState(T0 - 10 * MIN), cursor: T0, reconciledAt: T0 };
		const plan = planPoll(state, options, T0, consolePresent(T0 - 60 * MIN, T0));
		expect(plan.anchor?.since).toBe(T0 - 70 * MIN);
		expect(plan.start).toBe(T0 - 70 * MIN);
	});

	it('holds the cursor at the ceiling for a Malop from the future, which still fires, once', () => {
		const state = running();
		const ceiling = T0 + MIN + CLOCK_ALLOWANCE_MS;
		const future = malop('F', T0 + 365 * DAY, ['f']);
		expect(aheadOf(state, [future, malop('M2', T0 + MIN, ['b'])], ceiling)).toEqual([future]);
		const events = advanceCursor(
			state,
			[future, malop('M2', T0 + MIN, ['b'])],
			'newMalopMachine',
			options,
			{ ceiling },
		);
		expect(events.map((e) => e.eventId)).toEqual(['F:f', 'M2:b']);
		expect(state.cursor).toBe(T0 + MIN);
		// Seen at that time: the guard does not act on it again.
		expect(aheadOf(state, [future], ceiling)).toEqual([]);
		expect(advanceCursor(state, [future], 'newMalopMachine', options, { ceiling })).toEqual([]);
	});
});

describe('trigger guards: the reconciliation pass', () => {
	it('is due an hour after the last one and reads back over the remember window', () => {
		const state = running();
		expect(planPoll(state, options, T0 + MIN).reconcile).toBe(false);
		const plan = planPoll(state, options, T0 + RECONCILE_EVERY_MS);
		expect(plan).toMatchObject({ reconcile: true, regular: T0 - 10 * MIN, start: T0 - DAY });
		const short = { ...options, retentionMs: 60 * MIN };
		expect(planPoll(state, short, T0 + RECONCILE_EVERY_MS).start).toBe(T0 - 60 * MIN);
		applyPlan(state, plan, consolePresent(T0, T0), T0 + RECONCILE_EVERY_MS);
		expect(state.reconciledAt).toBe(T0 + RECONCILE_EVERY_MS);
	});

	it('stops above the latest Malop the memory dropped, which would otherwise fire again', () => {
		const state = running();
		const small = { ...options, retentionMs: 60 * MIN };
		advanceCursor(state, [malop('M2', T0 + 200 * MIN, ['b'])], 'newMalopMachine', small);
		expect(state.forgotten).toBe(T0);
		const plan = planPoll({ ...state, reconciledAt: undefined }, small, T0 + 200 * MIN);
		expect(plan.start).toBe(T0 + 140 * MIN);
		const wide = planPoll({ ...state, reconciledAt: undefined }, options, T0 + 200 * MIN);
		expect(wide.start).toBe(T0 + 1);
	});

	it('with Malop Updated, a machine added under an older update time fires alone, under that time', () => {
		const state = createCursorState(T0 - DAY);
		advanceCursor(state, [malop('M1', T0, ['a', 'b'])], 'malopUpdated', options);
		const events = advanceCursor(
			state,
			[malop('M1', T0 - 60 * MIN, ['a', 'b', 'c'])],
			'malopUpdated',
			options,
		);
		expect(events.map((e) => e.eventId)).toEqual([`M1:c:${T0 - 60 * MIN}`]);
		expect(
			advanceCursor(state, [malop('M1', T0 - 60 * MIN, ['a', 'b', 'c'])], 'malopUpdated', options),
		).toEqual([]);
		// A memory written before Malop Updated kept machines: only a later time fires.
		const old = { ...createCursorState(T0 - DAY), seen: { 'm:M2': String(T0) }, count: 1 };
		expect(advanceCursor(old, [malop('M2', T0, ['x'])], 'malopUpdated', options)).toEqual([]);
	});
});

describe('trigger guards: what the log says', () => {
	const present = consolePresent(T0, T0);
	const quiet = planPoll(running(), options, T0 + MIN, present);

	it('nothing when no guard acted', () => {
		expect(
			guardWarnings({ plan: quiet, present, hadDateHeader: true, ahead: [], reconciled: 0 }),
		).toEqual([]);
	});

	it('one warning per guard that acted, naming Malops and times', () => {
		const ahead = Array.from({ length: 7 }, (_, i) => malop(`F${i}`, T0 + DAY, ['f']));
		const [warning] = guardWarnings({
			plan: quiet,
			present,
			hadDateHeader: true,
			ahead,
			reconciled: 0,
		});
		expect(warning).toBe(
			`7 Malops are last updated more than 1 minute after the console's present, ${new Date(T0).toISOString()}: ${ahead
				.slice(0, 5)
				.map((s) => `${s.malopId} (${new Date(T0 + DAY).toISOString()})`)
				.join(
					', ',
				)}, …. They fire as usual, but the cursor stays at the present, so Malops updated from now on still fire`,
		);
		const pass = planPoll(running(), options, T0 + RECONCILE_EVERY_MS, present);
		expect(
			guardWarnings({ plan: pass, present, hadDateHeader: true, ahead: [], reconciled: 3 }),
		).toEqual([expect.stringMatching(/found 3 \(Malop, machine\) pairs not emitted yet/)]);
	});

	it('says once that the console sends no Date header', () => {
		const none = consolePresent(undefined, T0);
		const plan = planPoll(running(), options, T0 + MIN, none);
		expect(
			guardWarnings({ plan, present: none, hadDateHeader: true, ahead: [], reconciled: 0 }),
		).toHaveLength(1);
		expect(
			guardWarnings({ plan, present: none, hadDateHeader: false, ahead: [], reconciled: 0 }),
		).toEqual([]);
	});
});
