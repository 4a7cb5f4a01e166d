/* eslint-disable no-console -- dev tooling, not shipped in the package */
// Steps, their outcome and timing, and the printed report of an e2e run.
import { formatMs } from './proc';

export type Status = 'pass' | 'fail' | 'skip' | 'note';

export interface StepResult {
	name: string;
	status: Status;
	ms: number;
	detail?: string;
}

/** A step's value plus a line for the report. */
export interface Detailed<T> {
	value: T;
	detail: string;
}

export function detailed<T>(value: T, detail: string): Detailed<T> {
	return { value, detail };
}

function isDetailed<T>(out: unknown): out is Detailed<T> {
	return !!out && typeof out === 'object' && 'detail' in out && 'value' in out;
}

export function log(message: string): void {
	console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
}

/** Throws `message` (a failed assertion) unless the condition holds. */
export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export class Report {
	readonly steps: StepResult[] = [];

	readonly started = Date.now();

	/** When the last step ended (the report's own duration, not the whole run's). */
	private ended = Date.now();

	constructor(readonly label: string) {}

	/** Runs a step; a thrown error marks it failed (and is reported), the run goes on. */
	async step<T>(name: string, fn: () => Promise<T | Detailed<T>>): Promise<T | undefined> {
		const started = Date.now();
		log(`[${this.label}] ${name} ...`);
		try {
			const out = await fn();
			const detail = isDetailed<T>(out) ? out.detail : undefined;
			this.ended = Date.now();
			this.steps.push({ name, status: 'pass', ms: Date.now() - started, detail });
			log(
				`[${this.label}] ${name}: ok (${formatMs(Date.now() - started)})${detail ? ` - ${detail}` : ''}`,
			);
			return isDetailed<T>(out) ? out.value : out;
		} catch (error) {
			const detail = (error as Error).message;
			this.ended = Date.now();
			this.steps.push({ name, status: 'fail', ms: Date.now() - started, detail });
			log(`[${this.label}] ${name}: FAILED\n${detail}`);
			return undefined;
		}
	}

	skip(name: string, why: string): void {
		this.steps.push({ name, status: 'skip', ms: 0, detail: why });
	}

	note(text: string): void {
		this.steps.push({ name: text, status: 'note', ms: 0 });
	}

	get failed(): boolean {
		return this.steps.some((s) => s.status === 'fail');
	}

	get counts(): { passed: number; failed: number; skipped: number } {
		const count = (status: Status) => this.steps.filter((s) => s.status === status).length;
		return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
	}

	print(): void {
		const { passed, failed, skipped } = this.counts;
		console.log(
			`\n${this.label}: ${this.failed ? 'FAILED' : 'ok'} (${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}; ${formatMs(this.ended - this.started)})`,
		);
		for (const s of this.steps) {
			const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', note: 'note' }[s.status];
			const detail = s.detail
				? ` - ${s.status === 'fail' ? s.detail.split('\n').slice(0, 20).join('\n      ') : s.detail}`
				: '';
			console.log(
				`  ${mark} ${s.name}${s.status === 'note' ? '' : ` (${formatMs(s.ms)})`}${detail}`,
			);
		}
	}
}
