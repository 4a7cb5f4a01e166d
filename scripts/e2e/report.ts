/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// Steps, their outcome and timing, the printed report, and the one entry point both e2e suites run through.
import { Cleanup, formatMs } from './proc';

type Status = 'pass' | 'fail' | 'skip' | 'note';

interface StepResult {
	name: string;
	status: Status;
	ms: number;
	detail?: string;
}

/** A step's value plus a line for the report. */
interface Detailed<T> {
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
	private readonly steps: StepResult[] = [];

	private readonly started = Date.now();

	/** When the last step ended: the report's own duration, not the whole run's. */
	private ended = Date.now();

	constructor(readonly label: string) {}

	/** Runs a step; a thrown error marks it failed (and is reported), the run goes on. */
	async step<T>(name: string, fn: () => Promise<T | Detailed<T>>): Promise<T | undefined> {
		const started = Date.now();
		log(`[${this.label}] ${name} ...`);
		try {
			const out = await fn();
			const detail = isDetailed<T>(out) ? out.detail : undefined;
			this.steps.push({ name, status: 'pass', ms: Date.now() - started, detail });
			this.ended = Date.now();
			log(
				`[${this.label}] ${name}: ok (${formatMs(Date.now() - started)})${detail ? ` - ${detail}` : ''}`,
			);
			return isDetailed<T>(out) ? out.value : out;
		} catch (error) {
			this.fail(name, (error as Error).message, Date.now() - started);
			return undefined;
		}
	}

	fail(name: string, detail: string, ms = 0): void {
		this.steps.push({ name, status: 'fail', ms, detail });
		this.ended = Date.now();
		log(`[${this.label}] ${name}: FAILED\n${detail}`);
	}

	skip(name: string, why: string): void {
		this.steps.push({ name, status: 'skip', ms: 0, detail: why });
	}

	note(text: string): void {
		this.steps.push({ name: text, status: 'note', ms: 0 });
	}

	count(status: Status): number {
		return this.steps.filter((s) => s.status === status).length;
	}

	/** The failed steps alone, each with the first lines of its detail. */
	printFailures(): void {
		for (const s of this.steps.filter((step) => step.status === 'fail')) {
			const lines = (s.detail ?? '').split('\n').slice(0, 8).join('\n      ');
			console.log(`FAILED [${this.label}] ${s.name}${lines ? ` - ${lines}` : ''}`);
		}
	}

	print(): void {
		const skipped = this.count('skip');
		console.log(
			`\n${this.label}: ${this.count('fail') ? 'FAILED' : 'ok'} (${this.count('pass')} passed, ${this.count('fail')} failed${skipped ? `, ${skipped} skipped` : ''}; ${formatMs(this.ended - this.started)})`,
		);
		for (const s of this.steps) {
			const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', note: 'note' }[s.status];
			const lines = (s.detail ?? '').split('\n').slice(0, 20).join('\n      ');
			const time = s.status === 'note' ? '' : ` (${formatMs(s.ms)})`;
			console.log(`  ${mark} ${s.name}${time}${lines ? ` - ${lines}` : ''}`);
		}
	}
}

/**
 * The entry point of a suite: `body` runs the setup steps on `setup` and returns one report per n8n line;
 * the cleanup runs last whatever happened. Prints every report, then `PASS`/`FAIL` and `<name>: N passed,
 * N failed`, and exits 0 only when nothing failed.
 */
export function runMain(
	name: string,
	body: (setup: Report, cleanup: Cleanup) => Promise<Report[]>,
): void {
	const started = Date.now();
	const setup = new Report('setup');
	const cleanup = new Cleanup();
	const suite = async (): Promise<number> => {
		const reports = [setup];
		try {
			reports.push(...(await body(setup, cleanup)));
		} catch (error) {
			setup.fail('unexpected error', (error as Error).stack ?? String(error));
		} finally {
			for (const error of await cleanup.close()) setup.fail('cleanup', error);
		}
		console.log(`\n==== ${name} report ====`);
		for (const report of reports) report.print();
		const total = (status: Status) => reports.reduce((n, r) => n + r.count(status), 0);
		// Repeated last: a CI log cut in the middle still ends with what failed.
		for (const report of reports) report.printFailures();
		console.log(`\n${total('fail') ? 'FAIL' : 'PASS'} in ${formatMs(Date.now() - started)}`);
		console.log(`${name}: ${total('pass')} passed, ${total('fail')} failed`);
		return total('fail') ? 1 : 0;
	};
	suite().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
