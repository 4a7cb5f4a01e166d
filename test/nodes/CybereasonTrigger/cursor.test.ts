import {
	advanceCursor,
	createCursorState,
	isCursorState,
	previewEvents,
	queryStart,
	type CursorState,
	type MalopSnapshot,
} from '../../../nodes/CybereasonTrigger/cursor';

const MIN = 60_000;
const options = { overlapMs: 10 * MIN, retentionMs: 24 * 60 * MIN, maxMalops: 1000 };
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

const malop = (malopId: string, lastUpdateTime: number, machineGuids: string[]): MalopSnapshot => ({
	malopId,
	lastUpdateTime,
	machineGuids,
});

const ids = (events: ReturnType<typeof advanceCursor>) => events.map((e) => e.eventId);

/** What n8n does between polls: static data goes through JSON. */
const persist = (state: CursorState): CursorState =>
	JSON.parse(JSON.stringify(state)) as CursorState;

describe('trigger cursor', () => {
	it('starts at the activation time and treats anything updated before it as history', () => {
		const state = createCursorState(T0);
		expect(queryStart(state, options)).toBe(T0);
		const events = advanceCursor(
			state,
			[malop('old', T0 - 5 * MIN, ['a'])],
			'newMalopMachine',
			options,
		);
		expect(events).toEqual([]);
	});

	it('fires each (Malop, machine) pair once across polls, and a machine added later fires alone', () => {
		let state = createCursorState(T0);
		const first = advanceCursor(
			state,
			[malop('M1', T0 + MIN, ['a', 'b'])],
			'newMalopMachine',
			options,
		);
		expect(ids(first)).toEqual(['M1:a', 'M1:b']);

		state = persist(state);
		const again = advanceCursor(
			state,
			[malop('M1', T0 + MIN, ['a', 'b'])],
			'newMalopMachine',
			options,
		);
		expect(again).toEqual([]);

		state = persist(state);
		const grown = advanceCursor(
			state,
			[malop('M1', T0 + 3 * MIN, ['a', 'b', 'c'])],
			'newMalopMachine',
			options,
		);
		expect(ids(grown)).toEqual(['M1:c']);
	});

	it('fires once per update for malopUpdated, with an event id per machine and update', () => {
		const state = createCursorState(T0);
		expect(
			ids(advanceCursor(state, [malop('M1', T0 + MIN, ['a'])], 'malopUpdated', options)),
		).toEqual([`M1:a:${T0 + MIN}`]);
		expect(advanceCursor(state, [malop('M1', T0 + MIN, ['a'])], 'malopUpdated', options)).toEqual(
			[],
		);
		expect(
			ids(advanceCursor(state, [malop('M1', T0 + 2 * MIN, ['a', 'b'])], 'malopUpdated', options)),
		).toEqual([`M1:a:${T0 + 2 * MIN}`, `M1:b:${T0 + 2 * MIN}`]);
	});

	it('re-reads an overlap window so a late-reported update at the boundary is neither lost nor doubled', () => {
		const state = createCursorState(T0);
		advanceCursor(state, [malop('M1', T0 + 20 * MIN, ['a'])], 'newMalopMachine', options);
		expect(state.cursor).toBe(T0 + 20 * MIN);
		expect(queryStart(state, options)).toBe(T0 + 10 * MIN);
		// M2 was updated before M1 but the console reported it only now; M1 comes back in the overlap too.
		const events = advanceCursor(
			state,
			[
				malop('M1', T0 + 20 * MIN, ['a']),
				malop('M2', T0 + 19 * MIN, ['x']),
				malop('M3', T0 + 20 * MIN, ['y']),
			],
			'newMalopMachine',
			options,
		);
		expect(ids(events)).toEqual(['M2:x', 'M3:y']);
		expect(state.cursor).toBe(T0 + 20 * MIN);
	});

	it('keeps a Malop without machines as one pair with an empty machine', () => {
		const state = createCursorState(T0);
		expect(
			ids(advanceCursor(state, [malop('M1', T0 + MIN, [])], 'newMalopMachine', options)),
		).toEqual(['M1:']);
		expect(
			ids(advanceCursor(state, [malop('M1', T0 + 2 * MIN, ['a'])], 'newMalopMachine', options)),
		).toEqual(['M1:a']);
	});

	it('a poll that finds nothing keeps the cursor and the memory', () => {
		const state = createCursorState(T0);
		advanceCursor(state, [malop('M1', T0 + MIN, ['a'])], 'newMalopMachine', options);
		const before = persist(state);
		expect(advanceCursor(state, [], 'newMalopMachine', options)).toEqual([]);
		expect(state).toEqual(before);
	});

	it('forgets Malops past the retention, oldest first, and never holds more than the cap', () => {
		const state = createCursorState(T0);
		const small = { ...options, retentionMs: 30 * MIN, maxMalops: 3 };
		advanceCursor(state, [malop('A', T0 + MIN, ['a'])], 'newMalopMachine', small);
		advanceCursor(state, [malop('B', T0 + 2 * MIN, ['b'])], 'newMalopMachine', small);
		expect(state.count).toBe(2);
		// Just past A's retention: not yet worth a pass over the memory (within a tenth, at least the overlap).
		advanceCursor(state, [malop('C', T0 + 35 * MIN, ['c'])], 'newMalopMachine', small);
		expect(state.count).toBe(3);
		// Well past it: A and B go, C stays.
		advanceCursor(state, [malop('D', T0 + 60 * MIN, ['d'])], 'newMalopMachine', small);
		expect(Object.keys(state.seen)).toEqual(['m:C', 'm:D']);
		expect(state.count).toBe(2);

		// Over the cap: the least recently changed go, down to nine tenths of it.
		advanceCursor(
			state,
			['E', 'F'].map((id, i) => malop(id, T0 + (61 + i) * MIN, [id.toLowerCase()])),
			'newMalopMachine',
			small,
		);
		expect(state.count).toBeLessThanOrEqual(3);
		expect(Object.keys(state.seen)).toEqual(['m:E', 'm:F']);
		expect(state.count).toBe(2);
	});

	it('does not walk the memory when nothing is due', () => {
		const state = createCursorState(T0);
		advanceCursor(state, [malop('A', T0 + MIN, ['a'])], 'newMalopMachine', options);
		const seen = state.seen;
		let walked = 0;
		state.seen = new Proxy(seen, {
			ownKeys: (target) => {
				walked++;
				return Reflect.ownKeys(target);
			},
		});
		advanceCursor(state, [malop('B', T0 + 2 * MIN, ['b'])], 'newMalopMachine', options);
		expect(walked).toBe(0);
		expect(state.count).toBe(2);
	});

	it('remembers without emitting on a baseline poll', () => {
		const state = createCursorState(T0 - 10 * MIN);
		expect(
			advanceCursor(state, [malop('M1', T0 - MIN, ['a'])], 'newMalopMachine', options, {
				baseline: true,
			}),
		).toEqual([]);
		expect(
			advanceCursor(
				state,
				[malop('M1', T0 - MIN, ['a']), malop('M2', T0 - 2 * MIN, ['b'])],
				'newMalopMachine',
				options,
			),
		).toHaveLength(1);
	});

	it('recognises its own state and rejects anything else', () => {
		expect(isCursorState(createCursorState(T0))).toBe(true);
		expect(isCursorState(persist(createCursorState(T0)))).toBe(true);
		expect(isCursorState({ lastUpdateTime: 5 })).toBe(false);
		expect(isCursorState(undefined)).toBe(false);
	});

	it('previews what an empty memory would emit, with the event ids of each kind of trigger', () => {
		const snapshots = [malop('M1', T0, ['a', 'b']), malop('M2', T0 + MIN, [])];
		expect(previewEvents(snapshots, 'newMalopMachine').map((e) => e.eventId)).toEqual([
			'M1:a',
			'M1:b',
			'M2:',
		]);
		expect(previewEvents(snapshots, 'malopUpdated').map((e) => e.eventId)).toEqual([
			`M1:a:${T0}`,
			`M1:b:${T0}`,
			`M2::${T0 + MIN}`,
		]);
	});
});
