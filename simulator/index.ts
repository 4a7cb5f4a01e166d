// A Cybereason console on loopback, for the nodes' tests and for manual runs (see README.md).
import { cloneDataset, demoDataset } from './dataset';
import { parseManagementOptions } from './management';
import type { RecordedRequest, SimulatorOptions, SimUserAccount } from './model';
import { listen } from './server';
import { ShiftedClock, SimulatorState } from './state';

export {
	cloneDataset,
	createRng,
	DEFAULT_BASE_TIME,
	generateDataset,
	isLegacyGuid,
	type DatasetOptions,
} from './dataset';
export type {
	Clock,
	ExpiredSessionMode,
	Fault,
	GuidStyle,
	InvestigationStatus,
	MalopKind,
	ManagementOptions,
	Outcome,
	RecordedRequest,
	SimComment,
	SimDataset,
	SimMachine,
	SimMalop,
	SimTarget,
	SimulatorOptions,
	SimUser,
	SimUserAccount,
	TargetKind,
} from './model';
export { actionsForTarget, ACTION_TYPES, MANAGEMENT_DEFAULTS } from './model';
export type { RemediationRecord } from './remediation';
export { LOGIN_PAGE, TFA_PAGE, TFA_REDIRECT_LOCATION } from './sessions';
export type { MalopPatch, NewMalopSpec, SimulatorState } from './state';
export { base32Decode, totp, verifyTotp } from './totp';

/** The default account. A demo password for a loopback-only fake console, not a secret. */
export const DEMO_USER: { username: string; password: string } = {
	username: 'soc-automation@demo.local',
	password: 'Demo-Console-2024!',
};

export interface Simulator {
	/** `http://127.0.0.1:PORT`, or `https://localhost:PORT` with `tls`. */
	url: string;
	state: SimulatorState;
	/** Every request outside /__sim/, in arrival order (same array as state.requests). */
	requests: RecordedRequest[];
	close(): Promise<void>;
}

const DEFAULTS = {
	sessionTtlMs: 8 * 3_600_000,
	loginErrorLocation: '/login.html?error',
	remediationStepMs: 1000,
	maxTotalResultLimit: 10_000,
} as const;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	// The console's clock: the given one (or real time), shifted by an offset tests can change while it runs.
	const clock = new ShiftedClock(options.clock ?? { now: () => Date.now() }, options.clockOffsetMs);
	// The given dataset is copied: two simulators (or a test's fixture) never share mutable state.
	const dataset = options.dataset ? cloneDataset(options.dataset) : demoDataset(clock.now());
	const users: SimUserAccount[] = options.users ?? [DEMO_USER];
	const tls = options.tls ?? false;
	const management = parseManagementOptions({ ...options });
	if (typeof management === 'string') throw new Error(`startSimulator: ${management}`);
	const state = new SimulatorState(dataset, {
		clock,
		remediationStepMs: options.remediationStepMs ?? DEFAULTS.remediationStepMs,
		pythonQuirks: options.pythonQuirks ?? false,
		management,
		hunting: options.hunting,
		auth: {
			users,
			clock,
			sessionTtlMs: options.sessionTtlMs ?? DEFAULTS.sessionTtlMs,
			expiredSession: options.expiredSession ?? 'redirect',
			loginErrorLocation: options.loginErrorLocation ?? DEFAULTS.loginErrorLocation,
			twoFactorStep: options.twoFactorStep ?? 'page',
			secureCookie: tls,
		},
	});
	const server = await listen(state, {
		port: options.port ?? 0,
		tls,
		latencyMs: options.latencyMs ?? 0,
		maxTotalResultLimit: options.maxTotalResultLimit ?? DEFAULTS.maxTotalResultLimit,
		initialStatusLog: options.initialStatusLog ?? 'empty',
		statusShape: options.statusShape ?? 'array',
		progressRequiresInitiator: options.progressRequiresInitiator ?? false,
		dateHeader: options.dateHeader ?? true,
	});
	return { url: server.url, state, requests: state.requests, close: () => server.close() };
}
