/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The bundled self-signed certificate for https://localhost (CN and SAN localhost, 127.0.0.1).
// Read at runtime from simulator/tls, both when run from source (ts-jest) and from build/simulator.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

interface TlsMaterial {
	cert: string;
	key: string;
}

function tlsDir(): string {
	const candidates = [
		path.join(__dirname, 'tls'),
		path.join(__dirname, '..', '..', 'simulator', 'tls'),
	];
	const found = candidates.find((dir) => existsSync(path.join(dir, 'localhost.crt')));
	if (!found) throw new Error(`Simulator TLS certificate not found in ${candidates.join(' or ')}`);
	return found;
}

export function loadTls(): TlsMaterial {
	const dir = tlsDir();
	return {
		cert: readFileSync(path.join(dir, 'localhost.crt'), 'utf8'),
		key: readFileSync(path.join(dir, 'localhost.key'), 'utf8'),
	};
}
