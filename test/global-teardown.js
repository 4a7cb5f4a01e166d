const fs = require('node:fs');

module.exports = async () => {
	const folder = process.env.N8N_CYBEREASON_TEST_FOLDER;
	if (folder) fs.rmSync(folder, { recursive: true, force: true });
};
