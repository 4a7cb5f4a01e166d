// n8n-core's InstanceSettings writes a config file with an encryption key on first use:
// point it at a throwaway folder instead of the developer's ~/.n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cybereason-test-'));
}
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'n8n-nodes-cybereason-test-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
