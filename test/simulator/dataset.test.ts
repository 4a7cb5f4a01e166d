import { generateDataset, isLegacyGuid, type SimDataset } from '../../simulator';

const LEGACY_MALOP = /^11\.-?\d{19}$/;
const LEGACY_MACHINE = /^-?\d{9,10}\.-?\d{19}$/;
const SHORT = /^[A-Za-z0-9_-]{16}$/;

describe('generateDataset', () => {
	it('is deterministic for a seed and differs between seeds', () => {
		const opts = {
			malops: 50,
			eppMalops: 5,
			machinesPerMalop: 3,
			seed: 99,
			baseTime: 1_700_000_000_000,
		};
		expect(JSON.stringify(generateDataset(opts))).toBe(JSON.stringify(generateDataset(opts)));
		expect(generateDataset({ ...opts, seed: 100 }).malops[0].guid).not.toBe(
			generateDataset(opts).malops[0].guid,
		);
	});

	it('produces the counts and kinds asked for', () => {
		const d = generateDataset({
			malops: 200,
			eppMalops: 20,
			machinesPerMalop: 2,
			logonSessionShare: 0.5,
			seed: 1,
		});
		expect(d.malops).toHaveLength(220);
		const kinds = d.malops.map((m) => m.kind);
		expect(kinds.filter((k) => k === 'EPP')).toHaveLength(20);
		const logon = kinds.filter((k) => k === 'MalopLogonSession').length;
		expect(logon).toBeGreaterThan(60);
		expect(logon).toBeLessThan(140);
		expect(d.malops.every((m) => m.machines.length === 2)).toBe(true);
		expect(new Set(d.malops.map((m) => m.guid)).size).toBe(220);
		expect(new Set(d.machines.map((m) => m.guid)).size).toBe(d.machines.length);
	});

	it('uses both GUID styles of the captures', () => {
		const check = (d: SimDataset, style: 'legacy' | 'short') => {
			for (const m of d.malops) {
				expect(m.guid).toMatch(style === 'legacy' ? LEGACY_MALOP : SHORT);
				for (const x of m.machines)
					expect(x.guid).toMatch(style === 'legacy' ? LEGACY_MACHINE : SHORT);
				for (const t of m.targets) {
					expect(t.guid).toMatch(
						style === 'legacy' ? /^-?\d{9,10}\.-?\d{19}$/ : /^S-2-P[A-Za-z0-9_-]{11}$/,
					);
					// A legacy element carries its machine's prefix.
					if (style === 'legacy') expect(t.guid.split('.')[0]).toBe(t.machineGuid.split('.')[0]);
				}
			}
		};
		check(generateDataset({ malops: 30, guidStyle: 'legacy', seed: 2 }), 'legacy');
		check(generateDataset({ malops: 30, guidStyle: 'short', seed: 2 }), 'short');
		const mixed = generateDataset({ malops: 60, guidStyle: 'mixed', seed: 2 });
		const legacy = mixed.malops.filter((m) => isLegacyGuid(m.guid)).length;
		expect(legacy).toBeGreaterThan(10);
		expect(legacy).toBeLessThan(50);
	});

	it('names hosts realistically, builds pylumIds and sensorIds, and starts with dc01', () => {
		const d = generateDataset({ malops: 100, machinesPerMalop: 2, seed: 4, organization: 'acme' });
		expect(d.machines[0].name).toBe('dc01');
		for (const m of d.machines) {
			expect(m.name).toMatch(
				/^(dc01|desktop-[a-z0-9]{7}|laptop-[a-z0-9]{7}|srv-[a-z]+\d{2}|ws-[a-z]+-\d{3}|mbp-[a-z0-9_]+-[a-z0-9]{3})$/,
			);
			expect(m.pylumId).toBe(`PYLUMCLIENT_ACME_${m.name.toUpperCase()}_${m.pylumId.slice(-12)}`);
			expect(m.pylumId.slice(-12)).toMatch(/^[0-9A-F]{12}$/);
			expect(m.sensorId).toBe(`${d.serverId}:${m.pylumId}`);
			expect(['WINDOWS', 'LINUX', 'OSX']).toContain(m.osType);
		}
		expect(d.serverId).toMatch(/^[0-9a-f]{24}$/);
	});

	it('gives every machine of a Malop a user and remediation targets of each kind', () => {
		const d = generateDataset({ malops: 80, machinesPerMalop: 3, seed: 6 });
		const kinds = new Set<string>();
		for (const m of d.malops) {
			for (const x of m.machines) {
				const mine = m.targets.filter((t) => t.machineGuid === x.guid);
				expect(mine.some((t) => t.kind === 'process')).toBe(true);
				expect(mine.some((t) => t.kind === 'file')).toBe(true);
				expect(m.users.some((u) => u.machineGuid === x.guid)).toBe(true);
			}
			for (const t of m.targets) kinds.add(t.kind);
			if (m.managementStatus === 'CLOSED' || m.managementStatus === 'FP') {
				expect(m.status).toBe('Closed');
				expect(m.closeTime).not.toBeNull();
			}
			expect(m.lastUpdateTime).toBeGreaterThanOrEqual(m.creationTime);
			expect(m.malopStartTime).toBeLessThanOrEqual(m.creationTime);
		}
		expect(kinds).toEqual(new Set(['process', 'file', 'quarantinedFile', 'registry']));
	});

	it('shares machines between Malops when asked to', () => {
		const d = generateDataset({ malops: 40, machinesPerMalop: 3, sharedMachines: 5, seed: 7 });
		expect(d.machines).toHaveLength(5);
		const byGuid = new Map(d.machines.map((m) => [m.guid, m]));
		for (const m of d.malops) for (const x of m.machines) expect(byGuid.get(x.guid)).toBe(x);
	});

	it('flags a share of Malops for empty elementValues', () => {
		const d = generateDataset({ malops: 200, emptyElementValuesShare: 0.25, seed: 8 });
		const n = d.malops.filter((m) => m.emptyElementValues).length;
		expect(n).toBeGreaterThan(25);
		expect(n).toBeLessThan(80);
	});

	// How fast is for bench/, not for a test.
	it('generates 10,000 Malops x 4 machines', () => {
		const d = generateDataset({ malops: 10_000, machinesPerMalop: 4, seed: 10 });
		expect(d.malops).toHaveLength(10_000);
		expect(d.machines).toHaveLength(40_000);
	});
});
