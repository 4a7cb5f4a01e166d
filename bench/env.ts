/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Imported first by every bench process: n8n-core's InstanceSettings writes a config file on first use, so it
// goes to a throwaway folder (the parent creates one and its children inherit it), never the developer's ~/.n8n.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-cybereason-bench-'));
}
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'n8n-nodes-cybereason-bench-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

export const USER_FOLDER = process.env.N8N_USER_FOLDER;
