// Machines, users, the organisation and Malops as Visual Search elements. Feature names are those of
// the captures (xsoar-get_pylum_id_raw_response, xsoar-query_user_raw_response, xsoar-malop_processes_raw_response)
// and of the customFields public clients send (XSOAR, Splunk SOAR, Google SecOps).
import { define, machineOf, self, type ElementType, type HuntUser } from './hunting-types';
import { MALOP_FEATURES } from './malop-routes';
import type { SimMachine, SimMalop } from './model';

export const machineType = define<SimMachine>({
	name: 'Machine',
	all: (ctx) => ctx.machines.values(),
	guid: (m) => m.guid,
	label: (m) => m.name,
	machine: (m) => m,
	simple: {
		elementDisplayName: (m) => [m.name],
		guid: (m) => [m.guid],
		pylumId: (m) => [m.pylumId],
		osType: (m) => [m.osType],
		osVersionType: (m) => [m.osVersionType],
		isActiveProbeConnected: (m) => [m.connected],
		isIsolated: (m) => [m.isolated],
		hasMalops: (m, ctx) => [ctx.model.machinesInMalops.has(m.guid)],
		hasSuspicions: (m, ctx) => [ctx.model.machinesInMalops.has(m.guid)],
	},
	links: {
		self: self('Machine'),
		processes: { type: 'Process', get: (m, ctx) => ctx.model.processesByMachine.get(m.guid) ?? [] },
		users: { type: 'User', get: (m, ctx) => ctx.model.usersByMachine.get(m.guid) ?? [] },
	},
	defaults: ['elementDisplayName'],
	grouping: 'self',
	group: (m) => m.guid,
	groupByValue: (m) => `MachineRuntime:${m.guid} computerName=${m.name} , `,
	suspicions: () => ({}),
	malicious: () => false,
	hasMalops: (m, ctx) => ctx.model.machinesInMalops.has(m.guid),
});

export const userType = define<HuntUser>({
	name: 'User',
	all: (ctx) => ctx.model.users,
	guid: (u) => u.guid,
	label: (u) => u.name,
	machine: (u) => u.machine,
	simple: {
		elementDisplayName: (u) => [u.name],
		guid: (u) => [u.guid],
		domain: (u) => [u.name.slice(0, Math.max(0, u.name.indexOf('\\')))],
		username: (u) => [u.name.slice(u.name.indexOf('\\') + 1)],
		isLocalSystem: (u) => [u.localSystem],
		isAdmin: (u) => [u.admin],
		isDomainUser: (u) => [u.domainUser],
	},
	links: {
		self: self('User'),
		ownerMachine: machineOf<HuntUser>(),
		ownerOrganization: { type: 'Organization', get: (_u, ctx) => [ctx.organization] },
	},
	defaults: ['elementDisplayName', 'domain', 'ownerMachine', 'ownerOrganization'],
	grouping: 'self',
	group: (u) => u.guid,
	groupByValue: (u) =>
		`UserRuntime:${u.guid} username=${u.name.slice(u.name.indexOf('\\') + 1)} , `,
	suspicions: () => ({}),
	malicious: () => false,
	hasMalops: () => false,
});

export const organizationType = define<{ guid: string; name: string }>({
	name: 'Organization',
	all: (ctx) => [ctx.organization],
	guid: (o) => o.guid,
	label: (o) => o.name,
	machine: () => undefined,
	simple: { elementDisplayName: (o) => [o.name], name: (o) => [o.name] },
	links: {},
	defaults: ['elementDisplayName'],
	grouping: 'self',
	group: (o) => o.guid,
	groupByValue: (o) => `OrganizationRuntime:${o.guid} `,
	suspicions: () => ({}),
	malicious: () => false,
	hasMalops: () => false,
});

export function malopType(kind: 'MalopProcess' | 'MalopLogonSession'): ElementType<unknown> {
	return define<SimMalop>({
		name: kind,
		all: (ctx) => [...ctx.malops.values()].filter((m) => m.kind === kind),
		guid: (m) => m.guid,
		label: (m) => m.displayName,
		machine: () => undefined,
		simple: MALOP_FEATURES,
		links: {
			suspects: { type: 'Process', get: (m, ctx) => ctx.model.suspectsByMalop.get(m.guid) ?? [] },
			affectedMachines: { type: 'Machine', get: (m) => m.machines },
			affectedUsers: {
				type: 'User',
				get: (m, ctx) => ctx.model.users.filter((u) => m.users.some((x) => x.guid === u.guid)),
			},
			filesToRemediate: { type: 'File', get: (m, ctx) => ctx.model.filesByMalop.get(m.guid) ?? [] },
		},
		defaults: [],
		grouping: 'self',
		group: (m) => m.guid,
		groupByValue: (m) => `${kind}Runtime:${m.guid} `,
		suspicions: () => ({}),
		malicious: () => true,
		hasMalops: () => true,
	});
}
