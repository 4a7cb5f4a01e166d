// Deterministic dataset generator: same options and seed give the same console, byte for byte.
// GUID formats, host names and value sets follow the public captures (see ../shared/cybereason-samples).
import type {
	GuidStyle,
	InboxStatus,
	MalopKind,
	ManagementStatus,
	OsType,
	Priority,
	Severity,
	SimDataset,
	SimMachine,
	SimMalop,
	SimTarget,
	SimUser,
} from './model';
import { closesMalop } from './model';

export interface DatasetOptions {
	/** Number of EDR (AI-Hunt) Malops: MalopProcess and MalopLogonSession. */
	malops?: number;
	machinesPerMalop?: number;
	/** Share of the EDR Malops that are MalopLogonSession (0..1). */
	logonSessionShare?: number;
	/** Number of Endpoint Protection Malops, on top of `malops`. Only the inbox shows them. */
	eppMalops?: number;
	guidStyle?: GuidStyle;
	/** Share of Malops whose crimes/unified element comes back with `elementValues: {}` (Rapid7's quirk). */
	emptyElementValuesShare?: number;
	seed?: number;
	/** "Now" of the dataset: every Malop was created and last updated before it. */
	baseTime?: number;
	/** Size of a machine pool shared by all Malops; when unset every Malop gets its own machines. */
	sharedMachines?: number;
	/** Organisation part of pylumIds (`PYLUMCLIENT_<ORG>_<HOST>_<MAC>`). */
	organization?: string;
}

/** 2024-03-01T09:00:00Z: a fixed default keeps generateDataset() deterministic without a baseTime. */
export const DEFAULT_BASE_TIME = 1709283600000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Rng = () => number;

const imul = Math.imul;

/** mulberry32: tiny, fast and good enough for fixtures. */
export function createRng(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface DetectionProfile {
	type: string;
	human: string[];
	feature: string;
	activity: string;
	engines: string[];
	decisionStatuses: string[];
	rootCause: 'File' | 'Process';
	names: string[];
}

// Only `blackListedFileHash` and `maliciousByDualExtensionByFileRootCause` are seen in captures;
// the other decision-feature keys are plausible stand-ins of the same `<Type>.<key>(Malop decision)` form.
const PROCESS_PROFILES: DetectionProfile[] = [
	{
		type: 'BLACKLIST',
		human: ['Blocklist file hash'],
		feature: 'Process.blackListedFileHash',
		activity: 'MALICIOUS_INFECTION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'File',
		names: ['userinit.pdf.exe', 'bdata.bin', 'abs.exe', 'svch0st.exe'],
	},
	{
		type: 'KNOWN_MALWARE',
		human: ['Cybereason Threat Intelligence identified a malicious tool'],
		feature: 'Process.maliciousByHash',
		activity: 'MALICIOUS_INFECTION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'File',
		names: ['xkpkmvkd2380319126246621955.exe', 'mimikatz.exe', 'cobalt_beacon.dll'],
	},
	{
		type: 'EXTENSION_MANIPULATION',
		human: ['Malicious by Obscured Extension'],
		feature: 'Process.maliciousByDualExtensionByFileRootCause',
		activity: 'MALICIOUS_INFECTION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'File',
		names: ['aasiapp.pdf.exe', 'invoice_2024.docx.exe', 'winrar-x64-602.pdf.exe'],
	},
	{
		type: 'CNC',
		human: ['Connection to malicious address'],
		feature: 'Process.hasMaliciousConnection',
		activity: 'CNC_COMMUNICATION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'Process',
		names: ['rundll32.exe', 'powershell.exe', 'updater.exe'],
	},
	{
		type: 'RANSOMWARE',
		human: ['Ransomware behavior'],
		feature: 'Process.ransomwareAutoRemediationSuspended',
		activity: 'RANSOMWARE',
		engines: ['EDR', 'Ransomware'],
		decisionStatuses: [],
		rootCause: 'File',
		names: ['lockbit.exe', 'crypt0r.exe'],
	},
	{
		type: 'PROCESS_INJECTION',
		human: ['Injected code'],
		feature: 'Process.hasInjectedCode',
		activity: 'MALICIOUS_INFECTION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'Process',
		names: ['svchost.exe', 'explorer.exe'],
	},
	{
		type: 'PERSISTENCE',
		human: ['Malicious autorun'],
		feature: 'Process.hasMaliciousAutorun',
		activity: 'PERSISTENCE',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'File',
		names: ['onedrive_update.exe', 'java_helper.exe'],
	},
];

const LOGON_PROFILES: DetectionProfile[] = [
	{
		type: 'LATERAL_MOVEMENT',
		human: ['Lateral movement'],
		feature: 'LogonSession.lateralMovementByRemoteExecution',
		activity: 'LATERAL_MOVEMENT',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'Process',
		names: ['psexesvc.exe', 'wmiprvse.exe'],
	},
	{
		type: 'CREDENTIAL_THEFT',
		human: ['Credential theft'],
		feature: 'LogonSession.credentialTheftByLsassAccess',
		activity: 'STOLEN_CREDENTIALS',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'Process',
		names: ['procdump64.exe', 'lsass_dump.exe'],
	},
	{
		type: 'UNAUTHORIZED_USER',
		human: ['Unauthorized user logon'],
		feature: 'LogonSession.unauthorizedLogon',
		activity: 'PRIVILEGE_ESCALATION',
		engines: ['EDR'],
		decisionStatuses: [],
		rootCause: 'Process',
		names: ['cmd.exe', 'runas.exe'],
	},
];

const EPP_PROFILES: DetectionProfile[] = [
	{
		type: 'KNOWN_MALWARE',
		human: ['Known malware'],
		feature: 'File.knownMalware',
		activity: 'MALICIOUS_INFECTION',
		engines: ['AntiVirus'],
		decisionStatuses: ['Prevented'],
		rootCause: 'File',
		names: ['emotet_loader.exe', 'trickbot.dll'],
	},
	{
		type: 'MALWARE_PROCESS',
		human: ['Malicious by static analysis'],
		feature: 'File.staticAnalysisMalicious',
		activity: 'MALICIOUS_INFECTION',
		engines: ['StaticAnalysis'],
		decisionStatuses: ['Quarantined'],
		rootCause: 'File',
		names: ['setup_crack.exe', 'keygen.exe'],
	},
	{
		type: 'PUP',
		human: ['Potentially unwanted program'],
		feature: 'File.pup',
		activity: 'MALICIOUS_INFECTION',
		engines: ['AntiVirus'],
		decisionStatuses: ['Detected'],
		rootCause: 'File',
		names: ['toolbar_installer.exe'],
	},
	{
		type: 'RANSOMWARE',
		human: ['Ransomware behavior'],
		feature: 'Process.ransomware',
		activity: 'RANSOMWARE',
		engines: ['Ransomware'],
		decisionStatuses: ['Prevented'],
		rootCause: 'Process',
		names: ['wannacry.exe'],
	},
];

const COMPANY_PRODUCTS = [
	'Microsoft Corporation : Microsoft® Windows® Operating System',
	'',
	'Unknown : Unknown',
	'RARLab : WinRAR',
];
const SERVER_ROLES: Array<[string, OsType, string]> = [
	['app', 'WINDOWS', 'Windows_Server_2019'],
	['sql', 'WINDOWS', 'Windows_Server_2016'],
	['web', 'LINUX', 'Ubuntu_22'],
	['fs', 'WINDOWS', 'Windows_Server_2022'],
	['mail', 'WINDOWS', 'Windows_Server_2019'],
	['build', 'LINUX', 'RHEL_8'],
];
const DEPARTMENTS = ['fin', 'hr', 'eng', 'ops', 'sales'];
const FIRST_NAMES = [
	'jdoe',
	'asmith',
	'mgarcia',
	'lchen',
	'okoroma',
	'pnovak',
	'svc_backup',
	'1997c',
];
const ANALYSTS = ['analyst@demo.local', 'soc-lead@demo.local', 'Cybereason'];
const LABELS = ['IT-Closed', 'test', 'escalated-to-ir', 'false-positive-review'];
const COMMENT_TEXTS = [
	'ServiceNow Ticket ID: INC0041660',
	'Quarantine File Remediation Action Succeeded',
	'Handed over to IR team',
	'User confirmed the download was unintentional',
];
const REGISTRY_RUN_KEYS = ['Updater', 'OneDriveHelper', 'JavaUpdateSched', 'SecurityHealth2'];

interface FactoryContext {
	serverId: string;
	organization: string;
	guidStyle: GuidStyle;
	/** Per-dataset tail shared by short machine GUIDs (`KSSdyRCi55eyTiwX`, `S-2-PBCi55eyTiwX`). */
	machineGuidTail: string;
	/** Legacy GUID prefixes (`-1826875736.`): one per collection server; a machine's elements share it. */
	legacyPrefixes: string[];
}

/** Builds machines, users, targets and Malops from a seeded PRNG. Used by the generator and by state.addMalop. */
export class MalopFactory {
	private readonly usedGuids = new Set<string>();
	private readonly usedNames = new Set<string>();
	private roleCounters = new Map<string, number>();
	private machineCount = 0;

	constructor(
		private readonly rng: Rng,
		readonly ctx: FactoryContext,
	) {}

	static context(rng: Rng, organization: string, guidStyle: GuidStyle): FactoryContext {
		const pick = (n: number, alphabet: string) => {
			let s = '';
			for (let i = 0; i < n; i++) s += alphabet[(rng() * alphabet.length) | 0];
			return s;
		};
		return {
			serverId: pick(24, HEX),
			organization,
			guidStyle,
			machineGuidTail: pick(11, B64URL),
			legacyPrefixes: [0, 1, 2].map(() => `-${1_800_000_000 + ((rng() * 99_999_999) | 0)}`),
		};
	}

	/** Registers GUIDs and names that already exist (state.addMalop on top of a given dataset). */
	reserve(dataset: { machines: SimMachine[]; malops: SimMalop[] }): void {
		for (const m of dataset.machines) {
			this.usedGuids.add(m.guid);
			this.usedNames.add(m.name);
			this.machineCount++;
		}
		for (const malop of dataset.malops) this.usedGuids.add(malop.guid);
	}

	int(max: number): number {
		return (this.rng() * max) | 0;
	}

	chance(p: number): boolean {
		return this.rng() < p;
	}

	pick<T>(list: readonly T[]): T {
		return list[this.int(list.length)];
	}

	chars(n: number, alphabet: string): string {
		let s = '';
		for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
		return s;
	}

	// The generators below take several characters from one draw and use lookup tables: 10,000 Malops
	// mean ~200,000 GUIDs, and garbage collection is most of the generation time.
	digits(n: number): string {
		let s = '';
		while (s.length < n) {
			const v = (this.rng() * 1e9) | 0;
			s += DIGITS3[v % 1000] + DIGITS3[((v / 1000) | 0) % 1000] + DIGITS3[(v / 1e6) | 0];
		}
		return s.length === n ? s : s.slice(0, n);
	}

	b64(n: number): string {
		let s = '';
		while (s.length < n) {
			let v = (this.rng() * 1073741824) | 0;
			for (let k = 0; k < 5; k++, v >>>= 6) s += B64URL[v & 63];
		}
		return s.length === n ? s : s.slice(0, n);
	}

	hex(n: number): string {
		let s = '';
		while (s.length < n) {
			const v = (this.rng() * 16777216) | 0;
			s += HEX2[v & 255] + HEX2[(v >>> 8) & 255] + HEX2[v >>> 16];
		}
		return s.length === n ? s : s.slice(0, n);
	}

	private digits19(): string {
		// 19 digits that stay inside a signed 64-bit long, with a random sign, as Java prints them.
		return (this.chance(0.5) ? '-' : '') + (1 + this.int(8)) + this.digits(18);
	}

	/** Malop and machine GUIDs are checked for uniqueness; element GUIDs (10^18 or 64^11 space) are not. */
	private unique(make: () => string): string {
		let guid = make();
		while (this.usedGuids.has(guid)) guid = make();
		this.usedGuids.add(guid);
		return guid;
	}

	style(): 'legacy' | 'short' {
		if (this.ctx.guidStyle === 'mixed') return this.chance(0.5) ? 'legacy' : 'short';
		return this.ctx.guidStyle;
	}

	malopGuid(style: 'legacy' | 'short'): string {
		return this.unique(() =>
			style === 'legacy' ? `11.${this.digits19()}` : `AAAA0${this.b64(11)}`,
		);
	}

	/** Process/file/registry GUIDs share the owning machine's legacy prefix, as in the captures. */
	elementGuid(machine: SimMachine): string {
		if (machine.guid.includes('.')) {
			const prefix = machine.guid.slice(0, machine.guid.indexOf('.'));
			return `${prefix}.${this.digits19()}`;
		}
		return `S-2-P${this.b64(11)}`;
	}

	userGuid(machine: SimMachine): string {
		return machine.guid.includes('.')
			? `0.${1 + this.int(9)}${this.digits(17)}`
			: `AAAAG${this.b64(11)}`;
	}

	uuid(): string {
		const h = this.hex(32);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
	}

	private hostName(): [string, OsType, string] {
		if (this.machineCount === 0) return ['dc01', 'WINDOWS', 'Windows_Server_2019'];
		const r = this.rng();
		if (r < 0.15) {
			const [role, os, version] = this.pick(SERVER_ROLES);
			const n = (this.roleCounters.get(role) ?? 0) + 1;
			this.roleCounters.set(role, n);
			return [`srv-${role}${String(n).padStart(2, '0')}`, os, version];
		}
		if (r < 0.25)
			return [
				`ws-${this.pick(DEPARTMENTS)}-${String(this.int(1000)).padStart(3, '0')}`,
				'WINDOWS',
				'Windows_10',
			];
		if (r < 0.3)
			return [`mbp-${this.pick(FIRST_NAMES)}-${this.chars(3, ALNUM)}`, 'OSX', 'macOS_14'];
		if (r < 0.4) return [`laptop-${this.chars(7, ALNUM)}`, 'WINDOWS', 'Windows_11'];
		return [
			`desktop-${this.chars(7, ALNUM)}`,
			'WINDOWS',
			this.chance(0.7) ? 'Windows_10' : 'Windows_11',
		];
	}

	machine(
		baseTime: number,
		style: 'legacy' | 'short' = this.style(),
		override: Partial<SimMachine> = {},
	): SimMachine {
		let [name, osType, osVersionType] = this.hostName();
		while (this.usedNames.has(name) && override.name === undefined)
			[name, osType, osVersionType] = this.hostName();
		this.machineCount++;
		name = override.name ?? name;
		this.usedNames.add(name);
		const guid =
			override.guid ??
			this.unique(() =>
				style === 'legacy'
					? `${this.pick(this.ctx.legacyPrefixes)}.${this.digits19()}`
					: `${this.b64(5)}${this.ctx.machineGuidTail}`,
			);
		this.usedGuids.add(guid);
		const connected = override.connected ?? (name === 'dc01' || this.chance(0.8));
		const mac = this.hex(12).toUpperCase();
		const pylumId =
			override.pylumId ?? `PYLUMCLIENT_${this.ctx.organization}_${name.toUpperCase()}_${mac}`;
		return {
			guid,
			name,
			osType: override.osType ?? osType,
			osVersionType: override.osVersionType ?? osVersionType,
			connected,
			isolated: override.isolated ?? false,
			lastConnected:
				override.lastConnected ??
				(connected ? baseTime - this.int(60_000) : baseTime - HOUR - this.int(10 * DAY)),
			pylumId,
			sensorId: `${this.ctx.serverId}:${pylumId}`,
			internalIpAddress:
				override.internalIpAddress ?? `10.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`,
			externalIpAddress: override.externalIpAddress ?? `203.0.113.${1 + this.int(254)}`,
		};
	}

	user(machine: SimMachine): SimUser {
		const localSystem = this.chance(0.3);
		const domainUser = !localSystem && this.chance(0.5);
		const account = localSystem ? 'system' : this.pick(FIRST_NAMES);
		return {
			guid: this.userGuid(machine),
			name: `${domainUser ? 'corp' : machine.name}\\${account}`,
			machineGuid: machine.guid,
			admin: !localSystem && this.chance(0.2),
			localSystem,
			domainUser,
		};
	}

	/** Remediation targets found on one machine of a Malop. */
	targets(
		malop: Pick<SimMalop, 'displayName' | 'rootCauseHash' | 'detectionType'>,
		md5: string,
		machine: SimMachine,
	): SimTarget[] {
		const out: SimTarget[] = [];
		const suspended = malop.detectionType === 'RANSOMWARE';
		const processes = this.chance(0.3) ? 2 : 1;
		for (let i = 0; i < processes; i++) {
			out.push({
				guid: this.elementGuid(machine),
				kind: 'process',
				name: malop.displayName,
				machineGuid: machine.guid,
				suspended,
			});
		}
		out.push({
			guid: this.elementGuid(machine),
			kind: 'file',
			name: malop.displayName,
			machineGuid: machine.guid,
			md5,
			sha1: malop.rootCauseHash,
		});
		if (this.chance(0.3)) {
			out.push({
				guid: this.elementGuid(machine),
				kind: 'quarantinedFile',
				name: malop.displayName,
				machineGuid: machine.guid,
				md5,
				sha1: malop.rootCauseHash,
			});
		}
		if (this.chance(0.25)) {
			const key = this.pick(REGISTRY_RUN_KEYS);
			out.push({
				guid: this.elementGuid(machine),
				kind: 'registry',
				name: `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\${key}`,
				machineGuid: machine.guid,
			});
		}
		return out;
	}

	malop(
		kind: MalopKind,
		machines: SimMachine[],
		baseTime: number,
		emptyElementValues = false,
		style = this.style(),
	): SimMalop {
		const profile = this.pick(
			kind === 'EPP'
				? EPP_PROFILES
				: kind === 'MalopLogonSession'
					? LOGON_PROFILES
					: PROCESS_PROFILES,
		);
		const creationTime = baseTime - 1 - this.int(7 * DAY);
		const lastUpdateTime = this.chance(0.4)
			? creationTime + this.int(baseTime - creationTime)
			: creationTime + this.int(1000);
		const management = this.weighted<ManagementStatus>([
			['UNREAD', 35],
			['TODO', 20],
			['OPEN', 20],
			['REOPEN', 5],
			['CLOSED', 15],
			['FP', 5],
		]);
		const closed = closesMalop(management);
		const status: InboxStatus = closed
			? 'Closed'
			: this.chance(0.1)
				? 'Remediated'
				: this.chance(0.02)
					? 'Excluded'
					: 'Active';
		const displayName = this.pick(profile.names);
		const rootCauseHash = this.hex(40);
		const md5 = this.hex(32);
		const decisionFeature = `${profile.feature}(Malop decision)`;
		const malop: SimMalop = {
			guid: this.malopGuid(style),
			kind,
			displayName,
			rootCauseElementType: profile.rootCause,
			rootCauseHash,
			rootCauseCompanyProduct: this.pick(COMPANY_PRODUCTS),
			detectionType: profile.type,
			detectionTypes: profile.human.slice(),
			detectionEngines: profile.engines.slice(),
			decisionFeature,
			decisionFeatureSet: this.chance(0.3)
				? [decisionFeature, 'Process.maliciousByDualExtensionByFileRootCause(Malop decision)']
				: [decisionFeature],
			activityTypes: [profile.activity],
			decisionStatuses: profile.decisionStatuses.slice(),
			managementStatus: management,
			status,
			severity: this.weighted<Severity>([
				['High', 50],
				['Medium', 35],
				['Low', 15],
			]),
			priority: this.chance(0.25)
				? null
				: this.weighted<Priority>([
						['HIGH', 40],
						['MEDIUM', 40],
						['LOW', 20],
					]),
			creationTime,
			malopStartTime: creationTime - this.int(3 * DAY),
			lastUpdateTime,
			closeTime: closed ? lastUpdateTime : null,
			closerName: closed ? this.pick(ANALYSTS) : null,
			isBlocked: profile.type === 'BLACKLIST' && this.chance(0.5),
			labels: this.chance(0.2) ? [this.pick(LABELS)] : [],
			comments: [],
			machines,
			users: [],
			targets: [],
			emptyElementValues,
		};
		const comments = this.int(3);
		for (let i = 0; i < comments; i++) {
			malop.comments.push({
				commentId: this.uuid(),
				username: this.pick(ANALYSTS.slice(0, 2)),
				message: this.pick(COMMENT_TEXTS),
				timestamp: creationTime + this.int(Math.max(1, baseTime - creationTime)),
			});
		}
		for (const machine of machines) this.attachMachine(malop, machine, md5);
		return malop;
	}

	/** Adds a machine with its user and remediation targets to a Malop. */
	attachMachine(malop: SimMalop, machine: SimMachine, md5?: string): void {
		if (!malop.machines.includes(machine)) malop.machines.push(machine);
		malop.users.push(this.user(machine));
		const fileMd5 = md5 ?? malop.targets.find((t) => t.md5)?.md5 ?? this.hex(32);
		malop.targets.push(...this.targets(malop, fileMd5, machine));
	}

	private weighted<T>(entries: Array<[T, number]>): T {
		const total = entries.reduce((s, [, w]) => s + w, 0);
		let r = this.rng() * total;
		for (const [value, weight] of entries) {
			r -= weight;
			if (r < 0) return value;
		}
		return entries[entries.length - 1][0];
	}
}

export function isLegacyGuid(guid: string): boolean {
	return /^-?\d+\.-?\d+$/.test(guid);
}

export function generateDataset(opts: DatasetOptions = {}): SimDataset {
	const seed = opts.seed ?? 1;
	const baseTime = opts.baseTime ?? DEFAULT_BASE_TIME;
	const edrCount = opts.malops ?? 20;
	const eppCount = opts.eppMalops ?? 0;
	const perMalop = Math.max(0, opts.machinesPerMalop ?? 2);
	const logonShare = opts.logonSessionShare ?? 0.2;
	const emptyShare = opts.emptyElementValuesShare ?? 0;
	const rng = createRng(seed);
	const ctx = MalopFactory.context(
		rng,
		(opts.organization ?? 'DEMO').toUpperCase(),
		opts.guidStyle ?? 'mixed',
	);
	const factory = new MalopFactory(rng, ctx);

	const machines: SimMachine[] = [];
	const pool: SimMachine[] = [];
	for (let i = 0; i < (opts.sharedMachines ?? 0); i++) {
		const m = factory.machine(baseTime);
		pool.push(m);
		machines.push(m);
	}

	const malops: SimMalop[] = [];
	const total = edrCount + eppCount;
	for (let i = 0; i < total; i++) {
		const kind: MalopKind =
			i >= edrCount ? 'EPP' : factory.chance(logonShare) ? 'MalopLogonSession' : 'MalopProcess';
		const style = factory.style();
		const chosen: SimMachine[] = [];
		if (pool.length > 0) {
			const want = Math.min(perMalop, pool.length);
			while (chosen.length < want) {
				const m = factory.pick(pool);
				if (!chosen.includes(m)) chosen.push(m);
			}
		} else {
			for (let j = 0; j < perMalop; j++) {
				const m = factory.machine(baseTime, style);
				chosen.push(m);
				machines.push(m);
			}
		}
		malops.push(factory.malop(kind, chosen, baseTime, factory.chance(emptyShare), style));
	}
	return {
		seed,
		serverId: ctx.serverId,
		organization: ctx.organization,
		guidStyle: ctx.guidStyle,
		machines,
		malops,
	};
}

/** Deep copy that keeps machines shared between Malops shared (structuredClone is ~10x slower here). */
export function cloneDataset(dataset: SimDataset): SimDataset {
	const machines = new Map<string, SimMachine>();
	const copyMachine = (m: SimMachine) => {
		let copy = machines.get(m.guid);
		if (!copy) {
			copy = { ...m };
			machines.set(m.guid, copy);
		}
		return copy;
	};
	const machineList = dataset.machines.map(copyMachine);
	const malops = dataset.malops.map((m) => ({
		...m,
		detectionTypes: m.detectionTypes.slice(),
		detectionEngines: m.detectionEngines.slice(),
		decisionFeatureSet: m.decisionFeatureSet.slice(),
		activityTypes: m.activityTypes.slice(),
		decisionStatuses: m.decisionStatuses.slice(),
		labels: m.labels.slice(),
		comments: m.comments.map((c) => ({ ...c })),
		machines: m.machines.map(copyMachine),
		users: m.users.map((u) => ({ ...u })),
		targets: m.targets.map((t) => ({ ...t })),
	}));
	return { ...dataset, machines: machineList, malops };
}

/** The dataset a bare `startSimulator()` serves: small, recent, with a shared pool that includes dc01. */
export function demoDataset(baseTime: number): SimDataset {
	return generateDataset({
		malops: 12,
		eppMalops: 3,
		machinesPerMalop: 2,
		sharedMachines: 10,
		logonSessionShare: 0.25,
		guidStyle: 'mixed',
		seed: 20240301,
		baseTime,
	});
}
