// One Visual Search element as the console renders it (xsoar-machine_outputs, xsoar-malop_processes_raw_response):
// simpleValues as strings, elementValues as references, suspicions and the element's flags. The fields are
// resolved once per query and each element's `"<guid>":{...}` entry is kept serialised until the model,
// the reputations or a machine's state changes, so a 10,000-element answer is mostly a Buffer concat.
import { simpleFeature, typeOf } from './hunting-registry';
import type { ElementType, HuntContext } from './hunting-types';
import type { FeatureValues } from './query';
import { mapEntry, type Spelling } from './render';

type AnyType = ElementType<unknown>;
type Part = (
	x: unknown,
	simpleValues: Record<string, unknown>,
	elementValues: Record<string, unknown>,
) => void;

const suspicious = (type: AnyType, y: unknown) => Object.keys(type.suspicions(y)).length > 0;

function spell(sp: Spelling, values: FeatureValues): Array<string | null> {
	return values.map((v) =>
		typeof v === 'boolean' ? sp.svBool(v) : v === null ? sp.svNull() : String(v),
	);
}

function part(
	type: AnyType,
	f: string,
	ctx: HuntContext,
	sp: Spelling,
	limit: number,
): Part | undefined {
	const link = Object.hasOwn(type.links, f) ? type.links[f] : undefined;
	const target = link && typeOf(link.type);
	if (link && target) {
		return (x, _sv, ev) => {
			const refs = link.get(x, ctx);
			if (!refs) return;
			ev[f] = {
				totalValues: refs.length,
				elementValues: refs.slice(0, limit).map((y) => ({
					elementType: target.name,
					guid: target.guid(y),
					name: target.label(y),
					hasSuspicions: sp.bool(suspicious(target, y)),
					hasMalops: sp.bool(target.hasMalops(y, ctx)),
				})),
				totalSuspicious: refs.filter((y) => suspicious(target, y)).length,
				totalMalicious: refs.filter((y) => target.malicious(y, ctx)).length,
				guessedTotal: 0,
			};
		};
	}
	const simple = simpleFeature(type, f);
	if (!simple) return undefined;
	return (x, sv) => {
		const values = simple(x, ctx);
		if (values) sv[f] = { totalValues: values.length, values: spell(sp, values) };
	};
}

export class EntryRenderer {
	private readonly parts: Part[];
	private readonly key: string | undefined;

	constructor(
		private readonly type: AnyType,
		fields: string[],
		private readonly ctx: HuntContext,
		private readonly sp: Spelling,
		limit: number,
	) {
		this.parts = fields.flatMap((f) => part(type, f, ctx, sp, limit) ?? []);
		const reputations = ctx.hunting.reputations;
		const machines = [...ctx.machines.values()]
			.map((m) => `${+m.connected}${+m.isolated}`)
			.join('');
		// Entries that expire change what a hash shows with time alone: no cache while one exists.
		this.key = reputations.expiring()
			? undefined
			: `${fields.join(',')}|${limit}|${sp.quirks}|${reputations.revision}|${machines}`;
	}

	private render(x: unknown) {
		const { type, ctx, sp } = this;
		const simpleValues: Record<string, unknown> = {};
		const elementValues: Record<string, unknown> = {};
		for (const p of this.parts) p(x, simpleValues, elementValues);
		const suspicions = type.suspicions(x);
		const count = Object.keys(suspicions).length;
		const malicious = type.malicious(x, ctx);
		return {
			simpleValues,
			elementValues,
			suspicions,
			filterData: { sortInGroupValue: type.guid(x), groupByValue: type.groupByValue(x) },
			isMalicious: sp.bool(malicious),
			suspicionCount: count,
			guidString: type.guid(x),
			labelsIds: sp.nil(),
			malopPriority: sp.nil(),
			suspect: sp.bool(count > 0),
			malicious: sp.bool(malicious),
		};
	}

	entry(x: unknown): Buffer {
		const cache = this.ctx.hunting.entries;
		const cached = this.key === undefined ? undefined : cache.get(x as object);
		if (cached && cached.key === this.key) return cached.entry;
		const entry = mapEntry(this.type.guid(x), this.render(x));
		if (this.key !== undefined) cache.set(x as object, { key: this.key, entry });
		return entry;
	}
}
