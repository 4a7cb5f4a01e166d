// What runs on a simulated machine besides its Malops: a small, fixed set of ordinary programs per OS,
// the same binary (same hashes) on every machine of that OS, so a hunt for a benign hash finds many
// machines and a hunt for a Malop's hash finds only the Malop's machines. Names, paths, companies and
// product types follow XSOAR's query_processes_raw_response (demisto/content test_data) and the batch-2
// samples; hashes are derived, not real.
import type { OsType } from './model';

export interface Binary {
	name: string;
	/** Path with `{user}` for the interactive user's home. */
	path: string;
	company: string;
	product: string;
	productType: string;
	/** Command line with `{path}` and `{n}` (instance number). */
	commandLine: string;
	parent: string | null;
	user: 'system' | 'interactive';
}

const MS = 'Microsoft Corporation';
const WINDOWS_OS = 'Microsoft® Windows® Operating System';

// Parents come before their children: a process's parent is the first instance of that binary.
export const BINARIES: Record<OsType, Binary[]> = {
	WINDOWS: [
		{
			name: 'services.exe',
			path: 'C:\\Windows\\System32\\services.exe',
			company: MS,
			product: WINDOWS_OS,
			productType: 'SERVICES',
			commandLine: 'C:\\WINDOWS\\system32\\services.exe',
			parent: null,
			user: 'system',
		},
		{
			name: 'svchost.exe',
			path: 'C:\\Windows\\System32\\svchost.exe',
			company: MS,
			product: WINDOWS_OS,
			productType: 'SVCHOST',
			commandLine: 'C:\\WINDOWS\\system32\\svchost.exe -k LocalService -s W32Time -p {n}',
			parent: 'services.exe',
			user: 'system',
		},
		{
			name: 'lsass.exe',
			path: 'C:\\Windows\\System32\\lsass.exe',
			company: MS,
			product: WINDOWS_OS,
			productType: 'LSASS',
			commandLine: 'C:\\WINDOWS\\system32\\lsass.exe',
			parent: null,
			user: 'system',
		},
		{
			name: 'explorer.exe',
			path: 'C:\\Windows\\explorer.exe',
			company: MS,
			product: WINDOWS_OS,
			productType: 'EXPLORER',
			commandLine: 'C:\\WINDOWS\\Explorer.EXE',
			parent: null,
			user: 'interactive',
		},
		{
			name: 'chrome.exe',
			path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
			company: 'Google LLC',
			product: 'Google Chrome',
			productType: 'BROWSER',
			commandLine: '"{path}" --type=renderer --renderer-client-id={n}',
			parent: 'explorer.exe',
			user: 'interactive',
		},
		{
			name: 'powershell.exe',
			path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
			company: MS,
			product: WINDOWS_OS,
			productType: 'POWERSHELL',
			commandLine: 'powershell.exe -NoProfile -File C:\\Scripts\\inventory-{n}.ps1',
			parent: 'explorer.exe',
			user: 'interactive',
		},
		{
			name: 'OneDrive.exe',
			path: 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe',
			company: MS,
			product: 'Microsoft OneDrive',
			productType: 'NONE',
			commandLine: '"{path}" /background',
			parent: 'explorer.exe',
			user: 'interactive',
		},
	],
	LINUX: [
		{
			name: 'systemd',
			path: '/usr/lib/systemd/systemd',
			company: '',
			product: '',
			productType: 'NONE',
			commandLine: '/usr/lib/systemd/systemd --switched-root --system',
			parent: null,
			user: 'system',
		},
		{
			name: 'sshd',
			path: '/usr/sbin/sshd',
			company: '',
			product: '',
			productType: 'NONE',
			commandLine: '/usr/sbin/sshd -D',
			parent: 'systemd',
			user: 'system',
		},
		{
			name: 'bash',
			path: '/usr/bin/bash',
			company: '',
			product: '',
			productType: 'SHELL',
			commandLine: '-bash',
			parent: 'sshd',
			user: 'interactive',
		},
		{
			name: 'nginx',
			path: '/usr/sbin/nginx',
			company: '',
			product: '',
			productType: 'NONE',
			commandLine: 'nginx: worker process {n}',
			parent: 'systemd',
			user: 'system',
		},
		{
			name: 'cron',
			path: '/usr/sbin/cron',
			company: '',
			product: '',
			productType: 'NONE',
			commandLine: '/usr/sbin/cron -f',
			parent: 'systemd',
			user: 'system',
		},
	],
	OSX: [
		{
			name: 'launchd',
			path: '/sbin/launchd',
			company: 'Apple Inc.',
			product: 'macOS',
			productType: 'NONE',
			commandLine: '/sbin/launchd',
			parent: null,
			user: 'system',
		},
		{
			name: 'Finder',
			path: '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
			company: 'Apple Inc.',
			product: 'macOS',
			productType: 'NONE',
			commandLine: '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
			parent: 'launchd',
			user: 'interactive',
		},
		{
			name: 'Safari',
			path: '/Applications/Safari.app/Contents/MacOS/Safari',
			company: 'Apple Inc.',
			product: 'Safari',
			productType: 'BROWSER',
			commandLine: '/Applications/Safari.app/Contents/MacOS/Safari -psn_0_{n}',
			parent: 'launchd',
			user: 'interactive',
		},
		{
			name: 'mdworker',
			path: '/System/Library/Frameworks/CoreServices.framework/mdworker',
			company: 'Apple Inc.',
			product: 'macOS',
			productType: 'NONE',
			commandLine: 'mdworker -s mdworker -c MDSImporterWorker -m com.apple.mdworker.shared',
			parent: 'launchd',
			user: 'system',
		},
	],
};

/** Where a Malop's file sits, and the process that starts it (the user's shell or desktop). */
export const DROP_PATH: Record<OsType, string> = {
	WINDOWS: 'C:\\Users\\{user}\\Downloads\\{name}',
	LINUX: '/tmp/{name}',
	OSX: '/Users/{user}/Downloads/{name}',
};
export const DOCUMENT_PATH: Record<OsType, string> = {
	WINDOWS: 'C:\\Users\\{user}\\Documents\\{name}',
	LINUX: '/home/{user}/{name}',
	OSX: '/Users/{user}/Documents/{name}',
};
export const LAUNCHER: Record<OsType, string> = {
	WINDOWS: 'explorer.exe',
	LINUX: 'bash',
	OSX: 'launchd',
};

/**
 * `maliciousClassificationType` of a Malop's file before any custom reputation. Seen in captures:
 * av_detected (file_outputs, machine_outputs), indifferent (query_processes, query_domain); the rest are
 * the types Google SecOps treats as suspicious (ransomware, maltool, unwanted, malware, blacklist).
 * BLACKLIST Malops get `blacklist` from the reputation list the simulator seeds, not from here.
 */
export const CLASSIFICATION: Record<string, string> = {
	KNOWN_MALWARE: 'malware',
	MALWARE_PROCESS: 'malware',
	RANSOMWARE: 'ransomware',
	PUP: 'unwanted',
	CREDENTIAL_THEFT: 'maltool',
};
export const EPP_CLASSIFICATION = 'av_detected';
export const BENIGN_CLASSIFICATION = 'indifferent';
/** Classifications that make a file (and a process running it) count as malicious. */
export const MALICIOUS_TYPES = new Set([
	'blacklist',
	'malware',
	'ransomware',
	'maltool',
	'unwanted',
]);

/**
 * Suspicion a Malop's processes carry, by detection type, and the evidence behind each. Seen in captures:
 * knownMalwareSuspicion/malwareEvidence (malop_processes), reportedByAntiMalwareSuspicion/...Evidence
 * (file_outputs, machine_outputs), mimikatzExecutionPSESuspicion, shellOfNonShellRunnerSuspicion
 * (sekoia-edr_malop_suspicions_result); the others are stand-ins of the same `<name>Suspicion` form.
 */
export const SUSPICIONS: Record<string, string> = {
	BLACKLIST: 'blackListedFileHashSuspicion',
	KNOWN_MALWARE: 'knownMalwareSuspicion',
	EXTENSION_MANIPULATION: 'maliciousByDualExtensionSuspicion',
	CNC: 'hasMaliciousConnectionSuspicion',
	RANSOMWARE: 'ransomwareAutoRemediationSuspendedSuspicion',
	PROCESS_INJECTION: 'detectedInjectedSuspicion',
	PERSISTENCE: 'maliciousAutorunSuspicion',
	LATERAL_MOVEMENT: 'shellOfNonShellRunnerSuspicion',
	CREDENTIAL_THEFT: 'mimikatzExecutionPSESuspicion',
	UNAUTHORIZED_USER: 'unauthorizedLogonSuspicion',
};
export const EPP_SUSPICION = 'reportedByAntiMalwareSuspicion';
export const DEFAULT_SUSPICION = 'knownMalwareSuspicion';

export function evidenceOf(suspicion: string): string {
	return suspicion === DEFAULT_SUSPICION
		? 'malwareEvidence'
		: suspicion.replace(/Suspicion$/, 'Evidence');
}

/** machine_outputs: `extensionType` APPLICATION_DATA for bdata.bin; executables are the guess. */
export function extensionType(name: string): string {
	const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
	if (['exe', 'dll', 'sys', 'scr', 'com', ''].includes(ext)) return 'EXECUTABLE';
	if (['doc', 'docx', 'xls', 'xlsx', 'pdf', 'txt'].includes(ext)) return 'DOCUMENT';
	return 'APPLICATION_DATA';
}
