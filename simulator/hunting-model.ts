// The elements Visual Search hunts over, derived from the Malops and machines the console already
// serves: a Malop's process targets are Process elements and its file targets File elements (same
// GUIDs, so a hunt's answer feeds /rest/remediate), on the Malop's machines, run by the Malop's users;
// every machine also runs the ordinary programs of hunting-catalogue.ts. Every value is derived from
// GUIDs and names through hashes, so the same dataset always gives the same model, whatever the order
// of queries, and Malops added later only add elements.
import {
	BENIGN_CLASSIFICATION,
	BINARIES,
	CLASSIFICATION,
	DEFAULT_SUSPICION,
	DOCUMENT_PATH,
	DROP_PATH,
	EPP_CLASSIFICATION,
	EPP_SUSPICION,
	LAUNCHER,
	SUSPICIONS,
	extensionType,
	type Binary,
} from './hunting-catalogue';
import { elementGuid, hexOf, numOf, userGuid } from './hunting-ids';
import type { HuntFile, HuntModel, HuntProcess, HuntUser, ModelSize } from './hunting-types';
import type { SimMachine, SimMalop, SimUser } from './model';

const ACCOUNTS = ['jdoe', 'asmith', 'lchen', 'pnovak'];

const DAY = 86_400_000;

const fill = (template: string, vars: Record<string, string>) =>
	template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

function account(user: HuntUser): string {
	return user.name.slice(user.name.indexOf('\\') + 1);
}

type FileSpec = Pick<HuntFile, 'guid' | 'name' | 'path' | 'md5' | 'sha1'> & Partial<HuntFile>;

/** The users, ordinary programs and Malop elements of one machine at a time. */
class ModelBuilder {
	readonly model: HuntModel = {
		files: [],
		processes: [],
		users: [],
		processesByMachine: new Map(),
		usersByMachine: new Map(),
		suspectsByMalop: new Map(),
		filesByMalop: new Map(),
		machinesInMalops: new Set(),
	};

	constructor(private readonly size: ModelSize) {}

	/** The Malops' users of this machine, plus its system account and an interactive user if none. */
	private users(m: SimMachine, malopUsers: SimUser[]): Record<Binary['user'], HuntUser> {
		const list: HuntUser[] = [];
		for (const u of malopUsers)
			if (!list.some((x) => x.guid === u.guid)) list.push({ ...u, machine: m });
		const make = (name: string, localSystem: boolean): HuntUser => {
			const found = list.find((u) => u.name === name);
			if (found) return found;
			const user = {
				guid: userGuid(m, name),
				name,
				machine: m,
				localSystem,
				admin: false,
				domainUser: !localSystem,
			};
			list.push(user);
			return user;
		};
		const system = make(`${m.name}\\system`, true);
		const interactive =
			list.find((u) => !u.localSystem) ??
			make(`corp\\${ACCOUNTS[numOf(m.guid, ACCOUNTS.length)]}`, false);
		this.model.users.push(...list);
		this.model.usersByMachine.set(m.guid, list);
		return { system, interactive };
	}

	private file(m: SimMachine, spec: FileSpec): HuntFile {
		const created = m.lastConnected - (60 + numOf(spec.guid, 365)) * DAY;
		const file: HuntFile = {
			company: '',
			product: '',
			signed: false,
			productType: 'NONE',
			classification: BENIGN_CLASSIFICATION,
			suspicions: {},
			malops: [],
			size: 4096 + numOf(`${spec.md5}|size`, 4_000_000),
			created,
			modified: created + numOf(`${spec.guid}|m`, 30) * DAY,
			extensionType: extensionType(spec.name),
			...spec,
			machine: m,
		};
		this.model.files.push(file);
		return file;
	}

	private process(spec: Omit<HuntProcess, 'children'>): HuntProcess {
		const p: HuntProcess = { ...spec, children: [] };
		spec.parent?.children.push(p);
		this.model.processes.push(p);
		const list = this.model.processesByMachine.get(p.machine.guid) ?? [];
		list.push(p);
		this.model.processesByMachine.set(p.machine.guid, list);
		return p;
	}

	/** The ordinary programs of one machine; returns the first process of each binary (for parents). */
	private baseline(m: SimMachine, who: Record<Binary['user'], HuntUser>): Map<string, HuntProcess> {
		const binaries = BINARIES[m.osType];
		const vars = { user: account(who.interactive) };
		const images = new Map(
			binaries.map((b) => [
				b.name,
				this.file(m, {
					guid: elementGuid(m, `file|${b.name}`),
					name: b.name,
					path: fill(b.path, vars),
					// The same program has the same hashes on every machine of its OS.
					md5: hexOf('md5', `${m.osType}|${b.name}`),
					sha1: hexOf('sha1', `${m.osType}|${b.name}`),
					company: b.company,
					product: b.product,
					signed: b.company !== '',
					productType: b.productType,
				}),
			]),
		);
		const first = new Map<string, HuntProcess>();
		const boot = m.lastConnected - (1 + numOf(m.guid, 20)) * DAY;
		for (let i = 0; i < (this.size.processesPerMachine ?? binaries.length); i++) {
			const b = binaries[i % binaries.length];
			const image = images.get(b.name) as HuntFile;
			const p = this.process({
				guid: elementGuid(m, `process|${i}`),
				name: b.name,
				pid: 4 + ((numOf(`${m.guid}|pid|${i}`, 16_000) * 4 + i) % 65_532),
				machine: m,
				user: who[b.user],
				parent: b.parent ? first.get(b.parent) : undefined,
				image,
				commandLine: fill(b.commandLine, {
					path: image.path,
					n: String(Math.floor(i / binaries.length)),
				}),
				created: boot + i * 1000 + numOf(`${m.guid}|t|${i}`, 3_600_000),
				ended: null,
				productType: b.productType,
				suspended: false,
				suspicions: {},
				malops: [],
			});
			if (!first.has(b.name)) first.set(b.name, p);
		}
		for (let k = 0; k < (this.size.filesPerMachine ?? 0); k++) {
			const name = `Report-${k + 1}.docx`;
			this.file(m, {
				guid: elementGuid(m, `doc|${k}`),
				name,
				path: fill(DOCUMENT_PATH[m.osType], { ...vars, name }),
				md5: hexOf('md5', `${m.guid}|doc|${k}`),
				sha1: hexOf('sha1', `${m.guid}|doc|${k}`),
			});
		}
		return first;
	}

	/** A Malop's file targets on this machine, dropped in the user's downloads. */
	private malopFiles(m: SimMachine, malop: SimMalop, user: HuntUser, seen: number): HuntFile[] {
		const epp = malop.kind === 'EPP';
		const [company = '', product = ''] = malop.rootCauseCompanyProduct.split(' : ');
		const files = malop.targets
			.filter((t) => t.machineGuid === m.guid && t.kind === 'file')
			.map((t) =>
				this.file(m, {
					guid: t.guid,
					name: t.name,
					path: fill(DROP_PATH[m.osType], { user: account(user), name: t.name }),
					md5: t.md5 ?? hexOf('md5', t.guid),
					sha1: t.sha1 ?? hexOf('sha1', t.guid),
					company,
					product,
					classification: epp
						? EPP_CLASSIFICATION
						: (CLASSIFICATION[malop.detectionType] ?? BENIGN_CLASSIFICATION),
					detectionName: epp
						? `Trojan.Agent.${(t.md5 ?? t.guid).slice(0, 4).toUpperCase()}`
						: undefined,
					// A file is suspicious by itself only when anti-malware reported it (file_outputs).
					suspicions: epp ? { [EPP_SUSPICION]: seen } : {},
					malops: [malop],
				}),
			);
		this.model.filesByMalop.set(malop.guid, [
			...(this.model.filesByMalop.get(malop.guid) ?? []),
			...files,
		]);
		return files;
	}

	/** A Malop's process targets on this machine: started by the user from the desktop or shell. */
	private malopElements(
		m: SimMachine,
		malop: SimMalop,
		launcher: HuntProcess | undefined,
		fallback: HuntUser,
	): void {
		const user =
			this.model.usersByMachine
				.get(m.guid)
				?.find((u) => malop.users.some((x) => x.guid === u.guid)) ?? fallback;
		const seen = malop.malopStartTime + numOf(`${malop.guid}|${m.guid}`, 3_600_000);
		const suspicion =
			malop.kind === 'EPP' ? EPP_SUSPICION : (SUSPICIONS[malop.detectionType] ?? DEFAULT_SUSPICION);
		const files = this.malopFiles(m, malop, user, seen);
		const suspects = this.model.suspectsByMalop.get(malop.guid) ?? [];
		const closed = malop.status === 'Closed' || malop.status === 'Remediated';
		const targets = malop.targets.filter((t) => t.machineGuid === m.guid && t.kind === 'process');
		for (const [i, t] of targets.entries()) {
			const image =
				files[0] ??
				this.file(m, {
					guid: elementGuid(m, `image|${t.guid}`),
					name: t.name,
					path: fill(DROP_PATH[m.osType], { user: account(user), name: t.name }),
					md5: hexOf('md5', t.guid),
					sha1: hexOf('sha1', t.guid),
					malops: [malop],
				});
			suspects.push(
				this.process({
					guid: t.guid,
					name: t.name,
					pid: 1000 + numOf(t.guid, 60_000),
					machine: m,
					user,
					parent: launcher,
					image,
					commandLine: `"${image.path}"${i > 0 ? ` --instance ${i}` : ''}`,
					created: seen + i * 1000,
					ended: closed ? malop.lastUpdateTime : null,
					productType: 'NONE',
					suspended: t.suspended === true,
					suspicions: { [suspicion]: seen },
					malops: [malop],
				}),
			);
		}
		this.model.suspectsByMalop.set(malop.guid, suspects);
	}

	build(machines: Iterable<SimMachine>, malops: Iterable<SimMalop>): HuntModel {
		const byMachine = new Map<string, SimMalop[]>();
		for (const malop of malops) {
			for (const x of malop.machines) {
				const list = byMachine.get(x.guid) ?? [];
				list.push(malop);
				byMachine.set(x.guid, list);
				this.model.machinesInMalops.add(x.guid);
			}
		}
		for (const m of machines) {
			const mine = byMachine.get(m.guid) ?? [];
			const who = this.users(
				m,
				mine.flatMap((x) => x.users.filter((u) => u.machineGuid === m.guid)),
			);
			const first = this.baseline(m, who);
			for (const malop of mine)
				this.malopElements(m, malop, first.get(LAUNCHER[m.osType]), who.interactive);
		}
		return this.model;
	}
}

export function buildModel(
	machines: Iterable<SimMachine>,
	malops: Iterable<SimMalop>,
	size: ModelSize,
): HuntModel {
	return new ModelBuilder(size).build(machines, malops);
}
