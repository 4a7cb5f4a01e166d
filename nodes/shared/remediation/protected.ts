// Protected machines: how a machine matches an entry of the Protected Machines option (the Remediate node's
// guardrail, and the isolation of the Cybereason node).

const LEGACY_GUID = /^-?\d+\.-?\d+$/;

/** Names or GUIDs, separated by commas, semicolons or new lines. */
export function parseProtectedMachines(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	return [
		...new Set(
			text
				.split(/[,;\n\r]+/)
				.map((entry) => entry.trim())
				.filter((entry) => entry !== ''),
		),
	];
}

function shortName(name: string): string {
	return name.split('.')[0];
}

/**
 * The protected entry that covers this machine, if any. GUIDs match exactly (case-insensitively), names
 * case-insensitively, also as host name against FQDN ("dc01" protects "DC01.corp.local" and the other way round).
 */
export function protectedEntry(
	entries: readonly string[],
	machineGuid: string,
	machineNames: readonly string[],
): string | undefined {
	const guid = machineGuid.toLowerCase();
	const names = machineNames.map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
	return entries.find((entry) => {
		const e = entry.toLowerCase();
		if (e === guid) return true;
		if (LEGACY_GUID.test(e)) return false;
		return names.some((name) => name === e || shortName(name) === shortName(e));
	});
}

/**
 * Whether the machine's name must be known to decide. Legacy GUIDs (`<int>.<int>`) cannot be names; anything
 * else, including the 16-character GUID form, could be a host name and is checked as one.
 */
export function nameCheckNeeded(entries: readonly string[], machineGuid: string): boolean {
	if (protectedEntry(entries, machineGuid, []) !== undefined) return false;
	return entries.some((entry) => !LEGACY_GUID.test(entry));
}
