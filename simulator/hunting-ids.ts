// Deterministic identities for derived hunting elements: hashes, GUIDs and numbers are functions of
// a key (machine GUID, binary name, ...), so the model never depends on the order it is built in.
import { createHash } from 'node:crypto';

import type { SimMachine } from './model';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function digest(algorithm: 'md5' | 'sha1', key: string): Buffer {
	return createHash(algorithm).update(key).digest();
}

export function hexOf(algorithm: 'md5' | 'sha1', key: string): string {
	return digest(algorithm, key).toString('hex');
}

/** A number in [0, mod) from a key. */
export function numOf(key: string, mod: number): number {
	return digest('md5', key).readUInt32BE(0) % mod;
}

/** Legacy machines give `<prefix>.<signed long>`, 16-character ones `<head><11 base64url>` (as dataset.ts). */
function guidOf(machine: SimMachine, legacyPrefix: string, head: string, key: string): string {
	const d = digest('sha1', `${machine.guid}|${key}`);
	if (machine.guid.includes('.')) return `${legacyPrefix}.${d.readBigInt64BE(0)}`;
	let s = head;
	for (let i = 0; i < 11; i++) s += B64URL[d[i] & 63];
	return s;
}

/** Process and file GUIDs share the owning machine's legacy prefix, as in the captures. */
export function elementGuid(machine: SimMachine, key: string): string {
	return guidOf(machine, machine.guid.slice(0, machine.guid.indexOf('.')), 'S-2-P', key);
}

export function userGuid(machine: SimMachine, key: string): string {
	return guidOf(machine, '0', 'AAAAG', `user|${key}`);
}
