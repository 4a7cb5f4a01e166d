// The hunting model's elements (built by hunting-model.ts) and what an element type is to Visual
// Search: its simple features (filters and simpleValues, always strings on the wire), its element
// features (elementValues, and the connection features a queryPath walks) and how its results group.
// The types themselves are in hunting-elements.ts and hunting-files.ts.
import type { HuntingState } from './hunting-state';
import type { SimMachine, SimMalop } from './model';
import type { FeatureValues } from './query';

export interface HuntFile {
	guid: string;
	name: string;
	path: string;
	md5: string;
	sha1: string;
	machine: SimMachine;
	size: number;
	company: string;
	product: string;
	signed: boolean;
	productType: string;
	extensionType: string;
	created: number;
	modified: number;
	/** Before any custom reputation (reputation.ts overrides it). */
	classification: string;
	/** Anti-malware detection name, for EPP Malop files. */
	detectionName?: string;
	suspicions: Record<string, number>;
	malops: SimMalop[];
}

export interface HuntUser {
	guid: string;
	name: string;
	machine: SimMachine;
	localSystem: boolean;
	admin: boolean;
	domainUser: boolean;
}

export interface HuntProcess {
	guid: string;
	name: string;
	pid: number;
	machine: SimMachine;
	user: HuntUser;
	parent?: HuntProcess;
	children: HuntProcess[];
	image: HuntFile;
	commandLine: string;
	created: number;
	ended: number | null;
	productType: string;
	suspended: boolean;
	suspicions: Record<string, number>;
	malops: SimMalop[];
}

export interface HuntModel {
	files: HuntFile[];
	processes: HuntProcess[];
	users: HuntUser[];
	processesByMachine: Map<string, HuntProcess[]>;
	usersByMachine: Map<string, HuntUser[]>;
	suspectsByMalop: Map<string, HuntProcess[]>;
	filesByMalop: Map<string, HuntFile[]>;
	/** GUIDs of the machines that are part of some Malop (`hasMalops`). */
	machinesInMalops: Set<string>;
}

export interface ModelSize {
	/** Ordinary processes per machine (default: one per catalogue binary). */
	processesPerMachine?: number;
	/** Ordinary documents per machine on top of the program files (default 0). */
	filesPerMachine?: number;
}

export interface HuntContext {
	hunting: HuntingState;
	model: HuntModel;
	machines: Map<string, SimMachine>;
	malops: Map<string, SimMalop>;
	organization: { guid: string; name: string };
}

/** `undefined`: the element has no such value and the feature is left out of simpleValues. */
export type Simple<T> = (x: T, ctx: HuntContext) => FeatureValues | undefined;

/** `undefined`: the element has no such feature (an evidence that does not apply) and it is left out. */
interface Link<T> {
	type: string;
	get(x: T, ctx: HuntContext): unknown[] | undefined;
}

export interface ElementType<T> {
	name: string;
	all(ctx: HuntContext): Iterable<T>;
	guid(x: T): string;
	label(x: T): string;
	/** The machine whose server holds the element (undefined: every server). */
	machine(x: T): SimMachine | undefined;
	simple: Record<string, Simple<T>>;
	links: Record<string, Link<T>>;
	/** Fields answered when the query has no customFields. */
	defaults: string[];
	grouping: string;
	group(x: T): string;
	groupByValue(x: T): string;
	suspicions(x: T): Record<string, number>;
	malicious(x: T, ctx: HuntContext): boolean;
	hasMalops(x: T, ctx: HuntContext): boolean;
}

/** The classification a file shows now: its custom reputation, else what the console derived. */
export function classification(f: HuntFile, ctx: HuntContext): string {
	return ctx.hunting.reputations.lookup(f.md5, f.sha1)?.maliciousType ?? f.classification;
}

export function prevented(f: HuntFile, ctx: HuntContext): boolean {
	const r = ctx.hunting.reputations.lookup(f.md5, f.sha1);
	return r?.maliciousType === 'blacklist' && r.prevent;
}

export const has = (o: Record<string, number>) => Object.keys(o).length > 0;
export const when = <T>(cond: boolean, list: T[]): T[] | undefined => (cond ? list : undefined);
export const self = <T>(type: string): Link<T> => ({ type, get: (x) => [x] });
export const machineOf = <T extends { machine: SimMachine }>(): Link<T> => ({
	type: 'Machine',
	get: (x) => [x.machine],
});

export function define<T>(spec: ElementType<T>): ElementType<unknown> {
	return spec as unknown as ElementType<unknown>;
}
