// The trigger's memory, kept in the workflow's static data. Pure: no HTTP, no clock of its own.
//
// Why a cursor on malopLastUpdateTime plus a memory of emitted pairs: a Malop's creationTime is when the attack
// began, not when it was detected (fetching by it misses Malops), and its update time moves on every change
// (fetching by it alone fires the same Malop again). The cursor is the console's own latest update time, never
// later than the console's present (see guards.ts); the overlap re-reads updates that the console reported late,
// and the memory drops what was already emitted.

export type TriggerEvent = 'newMalopMachine' | 'malopUpdated';

/** What the cursor needs to know of one Malop from a poll. */
export interface MalopSnapshot {
	malopId: string;
	/** ms since epoch (console clock). */
	lastUpdateTime: number;
	/** Affected machines; a Malop without machines is tracked as one pair with machine ''. */
	machineGuids: string[];
}

export interface CursorState {
	version: 1;
	/**
	 * Floor of every query window: the user's start time, or the activation time minus the overlap (what the first
	 * poll found there was remembered without being emitted, so a late report from just before activation still fires).
	 */
	since: number;
	/** Highest lastUpdateTime seen so far; the next poll asks for updates after `cursor - overlap`. */
	cursor: number;
	/** Number of Malops in `seen`. */
	count: number;
	/** Bumped on every change, so the caller knows whether the state must be saved. */
	revision: number;
	/** A lower bound of the oldest remembered update: lets most polls skip the ageing pass entirely. */
	oldest: number;
	/**
	 * Per Malop (key `m:<guid>`, so JSON keeps insertion order): the last update handled and the machines emitted,
	 * encoded by encodeMemory. Re-inserted on every change, so the oldest entries are at the front and ageing stops
	 * at the first young one.
	 */
	seen: Record<string, string>;
	/** The latest update time of a Malop the memory dropped: a wider re-read stops above it, or it would fire again. */
	forgotten?: number;
	/** n8n's clock at the last reconciliation pass (only schedules the next one; no window is measured on it). */
	reconciledAt?: number;
	/** The console sent no Date header at the last poll (told once in the log). */
	noDateHeader?: boolean;
}

export interface CursorOptions {
	/** How far back each poll re-reads, for updates the console reports late. */
	overlapMs: number;
	/**
	 * A Malop not updated for this long (plus up to a tenth more) is forgotten: a machine added after that fires as
	 * new.
	 */
	retentionMs: number;
	/** Cap on remembered Malops; past it the least recently changed tenth goes. */
	maxMalops: number;
}

/** What this poll knows besides the Malops. */
export interface PollFacts {
	/** Remember what is there without emitting it (the first poll after activation). */
	baseline?: boolean;
	/** The latest time the cursor may take: the console's present plus an allowance (guards.ts). */
	ceiling?: number;
}

export interface CursorEvent {
	snapshot: MalopSnapshot;
	machineGuid: string;
	/** Stable across polls and workers, for downstream de-duplication. */
	eventId: string;
}

export function createCursorState(since: number): CursorState {
	return { version: 1, since, cursor: since, count: 0, revision: 0, oldest: since, seen: {} };
}

export function isCursorState(value: unknown): value is CursorState {
	const state = value as CursorState | undefined;
	return (
		!!state &&
		state.version === 1 &&
		typeof state.cursor === 'number' &&
		typeof state.since === 'number' &&
		typeof state.revision === 'number' &&
		typeof state.oldest === 'number' &&
		typeof state.seen === 'object'
	);
}

/** Start of the next query window. */
export function queryStart(
	state: Pick<CursorState, 'cursor' | 'since'>,
	options: Pick<CursorOptions, 'overlapMs'>,
): number {
	return Math.max(
		0,
		Math.min(state.cursor, Math.max(state.since, state.cursor - options.overlapMs)),
	);
}

function machinesOf(snapshot: MalopSnapshot): string[] {
	return snapshot.machineGuids.length > 0 ? snapshot.machineGuids : [''];
}

function eventOf(event: TriggerEvent, snapshot: MalopSnapshot, machineGuid: string): CursorEvent {
	const eventId =
		event === 'malopUpdated'
			? `${snapshot.malopId}:${machineGuid}:${snapshot.lastUpdateTime}`
			: `${snapshot.malopId}:${machineGuid}`;
	return { snapshot, machineGuid, eventId };
}

/** What a poll with an empty memory would emit for these Malops ("Fetch Test Event"); no state involved. */
export function previewEvents(snapshots: MalopSnapshot[], event: TriggerEvent): CursorEvent[] {
	return snapshots.flatMap((snapshot) =>
		machinesOf(snapshot).map((machineGuid) => eventOf(event, snapshot, machineGuid)),
	);
}

/** The update time the memory holds for a Malop, if it remembers it. */
export function rememberedUpdate(state: CursorState, malopId: string): number | undefined {
	const stored = state.seen[`m:${malopId}`];
	return stored === undefined ? undefined : decodeMemory(stored)[0];
}

/**
 * Which machines of one Malop fire. New Malop Machine: every machine not emitted before. Malop Updated: every
 * machine on a later update time; on the same or an older time (a re-indexed Malop), only machines not emitted
 * before, so no (Malop, machine, update) fires twice. Memories written before Malop Updated kept machines list
 * none: for them only the time counts.
 */
function firing(
	event: TriggerEvent,
	snapshot: MalopSnapshot,
	memory: [number, string[]] | undefined,
): string[] {
	const machines = machinesOf(snapshot);
	if (!memory) return machines;
	if (event === 'malopUpdated' && snapshot.lastUpdateTime > memory[0]) return machines;
	if (event === 'malopUpdated' && memory[1].length === 0) return [];
	const emitted = new Set(memory[1]);
	return machines.filter((guid) => !emitted.has(guid));
}

/**
 * Decides what a successful poll emits and moves the state on (in place: the caller only calls this after the
 * poll's requests succeeded, so a failed poll leaves the state as it was). Cost: O(snapshots + forgotten).
 */
export function advanceCursor(
	state: CursorState,
	snapshots: MalopSnapshot[],
	event: TriggerEvent,
	options: CursorOptions,
	facts: PollFacts = {},
): CursorEvent[] {
	const ceiling = facts.ceiling ?? Infinity;
	const events: CursorEvent[] = [];
	for (const snapshot of snapshots) {
		if (snapshot.lastUpdateTime > state.cursor && snapshot.lastUpdateTime <= ceiling) {
			state.cursor = snapshot.lastUpdateTime;
			state.revision++;
		}
		if (snapshot.lastUpdateTime < state.since) continue;

		const key = `m:${snapshot.malopId}`;
		const stored = state.seen[key];
		const memory = stored === undefined ? undefined : decodeMemory(stored);
		const fresh = firing(event, snapshot, memory);
		for (const machineGuid of fresh) events.push(eventOf(event, snapshot, machineGuid));
		if (fresh.length > 0 || !memory || snapshot.lastUpdateTime > memory[0]) {
			const emitted = new Set([...(memory?.[1] ?? []), ...fresh]);
			remember(state, key, [Math.max(snapshot.lastUpdateTime, memory?.[0] ?? 0), [...emitted]]);
		}
	}
	forget(state, options);
	return facts.baseline ? [] : events;
}

/**
 * One string per Malop, `"<last update ms> <machine guid> <machine guid>…"`: n8n wraps every object and array of
 * static data in a change-tracking proxy, which made an array per Malop the bulk of a large memory's cost. GUIDs
 * never contain spaces (legacy `<int>.<int>` or URL-safe base64).
 */
function encodeMemory(updated: number, machines: string[]): string {
	return machines.length === 0 ? String(updated) : `${updated} ${machines.join(' ')}`;
}

export function decodeMemory(value: string): [number, string[]] {
	const space = value.indexOf(' ');
	if (space === -1) return [Number(value), []];
	return [Number(value.slice(0, space)), value.slice(space + 1).split(' ')];
}

function remember(state: CursorState, key: string, entry: [number, string[]]) {
	state.revision++;
	if (key in state.seen) {
		delete state.seen[key];
	} else {
		if (state.count === 0 || entry[0] < state.oldest) state.oldest = entry[0];
		state.count++;
	}
	state.seen[key] = encodeMemory(entry[0], entry[1]);
}

/**
 * Drops Malops not updated within the retention, and the least recently changed ones beyond the cap. Walking the
 * memory costs time in proportion to its size (n8n wraps static data in proxies, and enumerating an object lists
 * all its keys), so a pass runs only when something is due by a margin: at most about once per tenth of the
 * retention, and at the cap it frees a tenth of it at once.
 */
function forget(state: CursorState, options: CursorOptions) {
	const retention = Math.max(options.retentionMs, options.overlapMs);
	const horizon = state.cursor - retention;
	const slack = Math.max(options.overlapMs, retention / 10);
	const overCap = state.count > options.maxMalops;
	if (!overCap && (state.count === 0 || state.oldest >= horizon - slack)) return;
	const keep = overCap ? Math.floor(options.maxMalops * 0.9) : state.count;
	for (const key in state.seen) {
		const updated = Number(state.seen[key].split(' ', 1)[0]);
		if (updated >= horizon && state.count <= keep) {
			state.oldest = updated;
			return;
		}
		delete state.seen[key];
		state.count--;
		state.forgotten = Math.max(state.forgotten ?? updated, updated);
		state.revision++;
	}
	state.oldest = state.cursor;
}
