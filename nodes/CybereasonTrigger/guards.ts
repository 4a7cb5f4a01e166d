// The trigger's guards against clocks it cannot trust. Pure: the poll hands in the console's present (the Date
// header of its answer) and the state, and gets back where to read from and what to tell n8n's log.
//
// - A Malop stamped in the future (a sensor or console with a wrong clock, a bad record) still fires, but never
//   moves the cursor past the console's present: otherwise every Malop after it would fall below the window.
// - The console's clock moved back (NTP correction, restored VM): its present is earlier than the cursor, so new
//   Malops would be stamped below the window. The cursor re-anchors on the present; the memory prevents repeats.
// - A Malop's last-update time moved back past the overlap (a machine added to a re-indexed Malop): every hour one
//   poll re-reads the whole remember window, so any pair not emitted yet fires; the memory prevents repeats.
import {
	queryStart,
	rememberedUpdate,
	type CursorOptions,
	type CursorState,
	type MalopSnapshot,
} from './cursor';

/**
 * How far a Malop may be stamped after the console's present before it counts as "in the future": the Date header
 * has whole seconds, and a console's servers do not share one clock to the millisecond. Clock moves shorter than
 * this are covered by the overlap.
 */
export const CLOCK_ALLOWANCE_MS = 60_000;
/**
 * Without a Date header n8n's clock stands in for the console's, with this allowance: a console an hour off from
 * n8n is far rarer than one a few minutes off, and a Malop stamped further ahead is still caught.
 */
export const NO_DATE_HEADER_ALLOWANCE_MS = 3_600_000;
/** How often a poll re-reads the whole remember window (its cost: bench/README.md, P3). */
export const RECONCILE_EVERY_MS = 3_600_000;

/** The console's present, and how far a timestamp may run ahead of it. */
export interface ConsolePresent {
	now: number;
	allowanceMs: number;
	/** false: the console sent no Date header, n8n's clock stands in. */
	fromConsole: boolean;
}

export function consolePresent(consoleNow: number | undefined, n8nNow: number): ConsolePresent {
	return consoleNow === undefined
		? { now: n8nNow, allowanceMs: NO_DATE_HEADER_ALLOWANCE_MS, fromConsole: false }
		: { now: consoleNow, allowanceMs: CLOCK_ALLOWANCE_MS, fromConsole: true };
}

/** The latest time the cursor may take. */
export function ceilingOf(present: ConsolePresent): number {
	return present.now + present.allowanceMs;
}

export interface PollPlan {
	/** Start of the query window. */
	start: number;
	/** Where the window would start without the reconciliation pass: events below it were found by the pass. */
	regular: number;
	/** The hourly reconciliation pass is due; this poll makes it. */
	reconcile: boolean;
	/** The console's present is earlier than the cursor: cursor and floor move to it. */
	anchor?: { cursor: number; since: number; movedBackMs: number };
}

/** Where this poll reads from. Without `present` (before the first answer) no clock check is made. */
export function planPoll(
	state: CursorState,
	options: CursorOptions,
	n8nNow: number,
	present?: ConsolePresent,
): PollPlan {
	const anchor =
		present && state.cursor > ceilingOf(present)
			? {
					cursor: present.now,
					since: Math.min(state.since, present.now - options.overlapMs),
					movedBackMs: state.cursor - present.now,
				}
			: undefined;
	const bounds = anchor ?? state;
	const regular = queryStart(bounds, options);
	const reconcile =
		state.reconciledAt === undefined || n8nNow - state.reconciledAt >= RECONCILE_EVERY_MS;
	// The pass reads back as far as the memory reaches: past it, a forgotten Malop would fire again.
	const wide = Math.max(
		0,
		bounds.since,
		(state.forgotten ?? -Infinity) + 1,
		bounds.cursor - options.retentionMs,
	);
	return { start: reconcile ? Math.min(regular, wide) : regular, regular, reconcile, anchor };
}

/** Malops stamped after the ceiling that the memory has not seen at that time: the future guard acts on them. */
export function aheadOf(
	state: CursorState,
	snapshots: MalopSnapshot[],
	ceiling: number,
): MalopSnapshot[] {
	return snapshots.filter(
		(s) => s.lastUpdateTime > ceiling && rememberedUpdate(state, s.malopId) !== s.lastUpdateTime,
	);
}

/** Applies what the plan and the present decided (after the poll's requests succeeded). */
export function applyPlan(
	state: CursorState,
	plan: PollPlan,
	present: ConsolePresent,
	n8nNow: number,
): void {
	if (plan.anchor) {
		state.cursor = plan.anchor.cursor;
		state.since = plan.anchor.since;
		state.revision++;
	}
	if (plan.reconcile) {
		state.reconciledAt = n8nNow;
		state.revision++;
	}
	if ((state.noDateHeader === true) === present.fromConsole) {
		if (present.fromConsole) delete state.noDateHeader;
		else state.noDateHeader = true;
		state.revision++;
	}
}

function span(ms: number): string {
	const units: Array<[number, string]> = [
		[86_400_000, 'day'],
		[3_600_000, 'hour'],
		[60_000, 'minute'],
		[1000, 'second'],
	];
	// The largest unit that says it nearly exactly: a Date header has whole seconds, so 2 h can read 1:59:59.
	const fits = ([size]: [number, string]) => {
		const n = Math.round(ms / size);
		return n >= 1 && Math.abs(ms - n * size) <= (n >= 2 ? size / 20 : 0);
	};
	const [size, unit] = units.find(fits) ?? [1000, 'second'];
	const n = Math.round(ms / size);
	return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface GuardFacts {
	plan: PollPlan;
	present: ConsolePresent;
	/** The state said the console sent a Date header before this poll (or had not polled yet). */
	hadDateHeader: boolean;
	ahead: MalopSnapshot[];
	/** Pairs emitted that only the reconciliation pass reached. */
	reconciled: number;
}

/** One warning for each guard that acted in this poll. */
export function guardWarnings(facts: GuardFacts): string[] {
	const { plan, present, ahead } = facts;
	const clock = present.fromConsole
		? "the console's present"
		: "n8n's clock (the console sends no Date header)";
	const warnings: string[] = [];
	if (!present.fromConsole && facts.hadDateHeader) {
		warnings.push(
			`The console sends no Date header, so the trigger cannot read its clock: n8n's clock stands in, with an allowance of ${span(present.allowanceMs)}. A Malop stamped further ahead of n8n's clock does not move the cursor, and a console clock that moves back is only seen when it lands that far behind n8n's. Let the Date header through, or keep the clocks within that allowance`,
		);
	}
	if (plan.anchor) {
		warnings.push(
			`${present.fromConsole ? "The console's clock" : "n8n's clock"} (${iso(present.now)}) is ${span(plan.anchor.movedBackMs)} behind the trigger's cursor: the console's clock moved back or differs from n8n's. The trigger re-anchored on it and read again from ${iso(plan.start)}; what it already emitted is not emitted again`,
		);
	}
	if (ahead.length > 0) {
		const listed = ahead
			.slice(0, 5)
			.map((s) => `${s.malopId} (${iso(s.lastUpdateTime)})`)
			.join(', ');
		warnings.push(
			`${ahead.length} Malop${ahead.length === 1 ? ' is' : 's are'} last updated more than ${span(present.allowanceMs)} after ${clock}, ${iso(present.now)}: ${listed}${ahead.length > 5 ? ', …' : ''}. ${ahead.length === 1 ? 'It fires' : 'They fire'} as usual, but the cursor stays at the present, so Malops updated from now on still fire`,
		);
	}
	if (facts.reconciled > 0) {
		warnings.push(
			`The hourly re-read of Malops updated since ${iso(plan.start)} found ${facts.reconciled} (Malop, machine) pair${facts.reconciled === 1 ? '' : 's'} not emitted yet, last updated before the regular window (${iso(plan.regular)}): a Malop's update time moved back, or the console reported it late. Emitted now`,
		);
	}
	return warnings;
}
