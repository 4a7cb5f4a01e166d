// Every test file runs in its own module registry: stop what n8n-core started there once the file is done.
afterAll(() => {
	require('../scripts/lib/engine').shutdownEngine();
});
