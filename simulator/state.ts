// Mutable console state shared by every route, plus the hooks tests use to change it.
// Change Malops through the mutators (not by editing objects in `malops`): they bump the revision
// that invalidates the cached crimes/unified rendering.
import { createRng, MalopFactory } from './dataset';
import { FaultQueue } from './fault-queue';
import { HuntingState, type HuntingOptions } from './hunting-state';
import { LabelRegistry } from './labels';
import {
	MANAGEMENT_DEFAULTS,
	type Clock,
	type Fault,
	type MalopKind,
	type ManagementOptions,
	type Outcome,
	type RecordedRequest,
	type SimDataset,
	type SimMachine,
	type SimMalop,
	type SimTarget,
} from './model';
import { RemediationEngine, type RemediationRecord } from './remediation';
import { ElementCache, Spelling } from './render';
import type { SensorContext, SensorRecord, SensorStatus } from './sensors';
import { SessionStore, type AuthConfig } from './sessions';

interface StateConfig {
	auth: AuthConfig;
	clock: Clock;
	remediationStepMs: number;
	pythonQuirks: boolean;
	management?: Partial<ManagementOptions>;
	hunting?: HuntingOptions;
}

/** `POST /__sim/malops` and state.addMalop: anything left out is generated. */
export interface NewMalopSpec extends Partial<Omit<SimMalop, 'machines'>> {
	/** A count of new machines, or machines: an existing machine GUID reuses that machine. */
	machines?: number | Array<Partial<SimMachine>>;
}

export type MalopPatch = Partial<Omit<SimMalop, 'guid' | 'machines' | 'users' | 'targets'>>;

/** A console whose clock is wrong by `offsetMs` (NTP off, a restored VM); shiftClock moves it. */
export class ShiftedClock implements Clock {
	constructor(
		private readonly base: Clock,
		public offsetMs = 0,
	) {}

	now(): number {
		return this.base.now() + this.offsetMs;
	}
}

export class SimulatorState {
	readonly malops = new Map<string, SimMalop>();
	readonly machines = new Map<string, SimMachine>();
	readonly outcomes = new Map<string, Outcome>();
	readonly requests: RecordedRequest[] = [];
	readonly sessions: SessionStore;
	readonly clock: Clock;
	private readonly shifted?: ShiftedClock;
	readonly serverId: string;
	readonly organization: string;
	readonly spelling: Spelling;
	readonly pythonQuirks: boolean;
	readonly cache: ElementCache;
	readonly engine: RemediationEngine;
	/** Malop management options (simulator/README.md, Options); tests and /__sim/management change them live. */
	readonly management: ManagementOptions;
	readonly labels: LabelRegistry;
	/** Visual Search's element model, custom reputations and query faults (hunting-state.ts). */
	readonly hunting: HuntingState;
	private readonly extraSensors: SensorRecord[] = [];
	private readonly faults = new FaultQueue<Fault>();
	private readonly revisions = new Map<string, number>();
	private readonly targets = new Map<string, SimTarget>();
	private readonly factory: MalopFactory;

	constructor(dataset: SimDataset, config: StateConfig) {
		this.clock = config.clock;
		if (config.clock instanceof ShiftedClock) this.shifted = config.clock;
		this.sessions = new SessionStore(config.auth);
		this.serverId = dataset.serverId;
		this.organization = dataset.organization;
		this.pythonQuirks = config.pythonQuirks;
		this.spelling = new Spelling(config.pythonQuirks);
		this.management = { ...MANAGEMENT_DEFAULTS, ...config.management };
		this.labels = new LabelRegistry(dataset.malops);
		this.cache = new ElementCache(this.spelling, (texts) => this.labels.ids(texts));
		for (const m of dataset.machines) this.machines.set(m.guid, m);
		for (const malop of dataset.malops) this.insert(malop);
		const rng = createRng((dataset.seed ^ 0x5eed) >>> 0);
		this.factory = new MalopFactory(rng, {
			...MalopFactory.context(rng, dataset.organization, dataset.guidStyle ?? 'mixed'),
			serverId: dataset.serverId,
		});
		this.factory.reserve({ machines: [...this.machines.values()], malops: dataset.malops });
		this.hunting = new HuntingState(
			{
				machines: this.machines,
				malops: this.malops,
				revision: (g) => this.revision(g),
				now: () => this.clock.now(),
			},
			config.hunting,
		);
		this.engine = new RemediationEngine(
			{
				malop: (guid) => this.malops.get(guid),
				machine: (guid) => this.machines.get(guid),
				target: (guid) => this.targets.get(guid),
				outcome: (a) => this.outcomeFor(a.machineId, a.targetId),
				onSuccess: (a) => {
					const machine = this.machines.get(a.machineId);
					if (machine && a.actionType === 'ISOLATE_MACHINE') machine.isolated = true;
				},
			},
			config.remediationStepMs,
		);
	}

	get remediations(): Map<string, RemediationRecord> {
		return this.engine.records;
	}

	get logins(): number {
		return this.sessions.logins;
	}

	get failedLogins(): number {
		return this.sessions.failedLogins;
	}

	private insert(malop: SimMalop): void {
		this.malops.set(malop.guid, malop);
		for (const m of malop.machines) if (!this.machines.has(m.guid)) this.machines.set(m.guid, m);
		for (const t of malop.targets) this.targets.set(t.guid, t);
		this.touch(malop.guid);
	}

	private touch(guid: string): void {
		this.revisions.set(guid, (this.revisions.get(guid) ?? 0) + 1);
	}

	revision(guid: string): number {
		return this.revisions.get(guid) ?? 0;
	}

	private mustGet(guid: string): SimMalop {
		const malop = this.malops.get(guid);
		if (!malop) throw new Error(`Unknown Malop ${guid}`);
		return malop;
	}

	/** Moves the console's clock by `ms` from now on (negative: back, as after an NTP correction). */
	shiftClock(ms: number): void {
		if (!this.shifted) throw new Error('This simulator was started without a shiftable clock');
		this.shifted.offsetMs += ms;
	}

	/** Expires one session (by JSESSIONID value) or, without an argument, all of them, right now. */
	expireSession(cookie?: string): number {
		return this.sessions.expire(cookie);
	}

	private machineFrom(spec: Partial<SimMachine> | undefined, now: number): SimMachine {
		if (spec?.guid && this.machines.has(spec.guid))
			return this.machines.get(spec.guid) as SimMachine;
		const machine = this.factory.machine(now, undefined, spec ?? {});
		this.machines.set(machine.guid, machine);
		return machine;
	}

	/** Adds a Malop detected "now": generated, then overridden by whatever the spec gives. */
	addMalop(spec: NewMalopSpec = {}): SimMalop {
		const now = this.clock.now();
		const kind: MalopKind = spec.kind ?? 'MalopProcess';
		const machineSpecs =
			typeof spec.machines === 'number' || spec.machines === undefined
				? Array.from({ length: spec.machines ?? 1 }, () => undefined)
				: spec.machines;
		const machines = machineSpecs.map((m) => this.machineFrom(m, now));
		const malop = this.factory.malop(kind, [], now, false);
		malop.creationTime = now;
		malop.lastUpdateTime = now;
		malop.malopStartTime = now - 60_000;
		if (malop.closeTime !== null) {
			malop.managementStatus = 'UNREAD';
			malop.status = 'Active';
			malop.closeTime = null;
			malop.closerName = null;
		}
		// Attach after creation so targets carry the final display name if the spec overrides it.
		const fields: NewMalopSpec = { ...spec };
		delete fields.machines;
		Object.assign(malop, fields);
		if (!spec.targets && !spec.users)
			for (const m of machines) this.factory.attachMachine(malop, m);
		else malop.machines.push(...machines);
		if (this.malops.has(malop.guid)) throw new Error(`Malop ${malop.guid} already exists`);
		this.insert(malop);
		return malop;
	}

	/** Changes a Malop; lastUpdateTime moves to now unless the patch sets it. */
	updateMalop(guid: string, patch: MalopPatch): SimMalop {
		const malop = this.mustGet(guid);
		// Machines, users and targets change only through addMachineToMalop (a patch from JSON could carry them).
		const fields: Record<string, unknown> = { ...patch };
		for (const key of ['guid', 'machines', 'users', 'targets']) delete fields[key];
		Object.assign(malop, fields);
		if (patch.lastUpdateTime === undefined) malop.lastUpdateTime = this.clock.now();
		this.touch(guid);
		return malop;
	}

	/** A management change (status, comment, label): metadata time and version move, lastUpdateTime only when asked. */
	updateMalopMetadata(guid: string, patch: MalopPatch, bumpLastUpdate = false): SimMalop {
		const malop = this.mustGet(guid);
		const now = this.clock.now();
		return this.updateMalop(guid, {
			...patch,
			metadataUpdateTime: now,
			metadataVersion: (malop.metadataVersion ?? 1) + 1,
			lastUpdateTime: bumpLastUpdate ? now : malop.lastUpdateTime,
		});
	}

	/** A new (or existing, by guid) machine joins the Malop, with a user and remediation targets. */
	addMachineToMalop(guid: string, machine?: Partial<SimMachine>): SimMachine {
		const malop = this.mustGet(guid);
		const now = this.clock.now();
		const m = this.machineFrom(machine, now);
		if (!malop.machines.includes(m)) {
			this.factory.attachMachine(malop, m);
			for (const t of malop.targets) this.targets.set(t.guid, t);
		}
		malop.lastUpdateTime = now;
		this.touch(guid);
		return m;
	}

	/** Sensor goes on/offline. Remediations waiting on it move on from now; a Primed isolation applies. */
	setMachineConnected(machineGuid: string, connected: boolean): SimMachine {
		const machine = this.machines.get(machineGuid);
		if (!machine) throw new Error(`Unknown machine ${machineGuid}`);
		const now = this.clock.now();
		this.engine.advanceAll(now);
		machine.connected = connected;
		if (connected) {
			machine.lastConnected = now;
			if (machine.pendingIsolation !== undefined) {
				machine.isolated = machine.pendingIsolation;
				machine.pendingIsolation = undefined;
			}
		}
		this.engine.unblock(now);
		return machine;
	}

	/** Outcome for a target (targetId) or every action on a machine (machine GUID); target wins. */
	setOutcome(key: string, outcome: Outcome): void {
		const now = this.clock.now();
		this.engine.advanceAll(now);
		this.outcomes.set(key, outcome);
		this.engine.unblock(now);
	}

	clearOutcomes(): void {
		this.engine.advanceAll(this.clock.now());
		this.outcomes.clear();
		this.engine.unblock(this.clock.now());
	}

	outcomeFor(machineId: string, targetId: string): Outcome {
		const explicit = this.outcomes.get(targetId) ?? this.outcomes.get(machineId);
		if (explicit) return explicit;
		const machine = this.machines.get(machineId);
		return machine && !machine.connected ? { status: 'OFFLINE' } : { status: 'SUCCESS' };
	}

	remediation(remediationId: string): RemediationRecord | undefined {
		const record = this.engine.records.get(remediationId);
		if (record) this.engine.advance(record, this.clock.now());
		return record;
	}

	/** A second sensor for an existing machine name (a stale duplicate, by default). */
	addSensor(
		spec: { machineName: string; status?: SensorStatus } & Partial<SimMachine>,
	): SimMachine {
		const { status = 'Stale', machineName, ...rest } = spec;
		const base = [...this.machines.values()].find((m) => m.name === machineName);
		const machine = this.factory.machine(this.clock.now() - 30 * 86_400_000, undefined, {
			osType: base?.osType,
			osVersionType: base?.osVersionType,
			...rest,
			name: machineName,
			connected: status === 'Online',
		});
		this.extraSensors.push({ machine, status, live: false });
		return machine;
	}

	sensorContext(): SensorContext {
		return {
			serverId: this.serverId,
			organization: this.organization,
			quirks: this.pythonQuirks,
			sensors: () => [
				...[...this.machines.values()].map((machine) => ({ machine, live: true })),
				...this.extraSensors,
			],
		};
	}

	addFault(fault: Fault): void {
		this.faults.add(fault);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	pendingFaults(): number {
		return this.faults.size;
	}

	/** First fault (insertion order) that matches and has uses left; consumes one use. */
	takeFault(method: string, path: string): Fault | undefined {
		return this.faults.take((fault) => faultMatches(fault, method, path));
	}
}

function faultMatches(fault: Fault, method: string, path: string): boolean {
	if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
	if (fault.path instanceof RegExp) return fault.path.test(path);
	if (fault.path.endsWith('*')) return path.startsWith(fault.path.slice(0, -1));
	return path === fault.path;
}
