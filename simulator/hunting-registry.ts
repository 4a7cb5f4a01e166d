// Every element type Visual Search answers for, and the lookups across them: dotted features
// (`imageFile.md5String`, `ownerMachine.osVersionType`) and the query context.
import { malopType, machineType, organizationType, userType } from './hunting-elements';
import { fileType, processType } from './hunting-files';
import { numOf } from './hunting-ids';
import type { ElementType, HuntContext, Simple } from './hunting-types';
import type { SimulatorState } from './state';

const TYPES: Record<string, ElementType<unknown>> = {
	Machine: machineType,
	User: userType,
	Organization: organizationType,
	File: fileType,
	Process: processType,
	MalopProcess: malopType('MalopProcess'),
	MalopLogonSession: malopType('MalopLogonSession'),
};

export function typeOf(name: string): ElementType<unknown> | undefined {
	return Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
}

/** A simple feature by name, including `<elementFeature>.<simpleFeature>` (`imageFile.md5String`). */
export function simpleFeature(
	type: ElementType<unknown>,
	name: string,
): Simple<unknown> | undefined {
	if (Object.hasOwn(type.simple, name)) return type.simple[name];
	const dot = name.indexOf('.');
	if (dot < 0) return undefined;
	const link = Object.hasOwn(type.links, name.slice(0, dot))
		? type.links[name.slice(0, dot)]
		: undefined;
	const target = link && typeOf(link.type);
	const inner = target && simpleFeature(target, name.slice(dot + 1));
	if (!link || !target || !inner) return undefined;
	return (x, ctx) => link.get(x, ctx)?.flatMap((y) => inner(y, ctx) ?? []);
}

/** Everything a query reads, as the console is now; `ownerOrganization` as in query_user_raw_response. */
export function huntContext(state: SimulatorState): HuntContext {
	const name = state.organization;
	return {
		hunting: state.hunting,
		model: state.hunting.model(),
		machines: state.machines,
		malops: state.malops,
		organization: {
			guid: `0.${numOf(`org|${name}`, 2 ** 31)}${numOf(`org2|${name}`, 10 ** 9)}`,
			name,
		},
	};
}
