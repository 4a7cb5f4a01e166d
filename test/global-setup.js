// One throwaway n8n user folder for the whole run (n8n-core's InstanceSettings writes a config file with an
// encryption key there on first use), removed at the end. Test workers inherit the environment.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
	if (!process.env.N8N_USER_FOLDER) {
		process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cybereason-test-'));
		process.env.N8N_CYBEREASON_TEST_FOLDER = process.env.N8N_USER_FOLDER;
	}
};
