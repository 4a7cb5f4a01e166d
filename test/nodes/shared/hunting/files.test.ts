import { fileItems } from '../../../../nodes/shared/hunting/files';
import { queryAnswerFacts } from '../../../../nodes/shared/malops/elements';
import type { VisualSearchResponse } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { element, facts } from './fixtures';

const MD5 = '4778901e54f55d54435b2626923054a8';
const SHA1 = '984e5a25910edafd1234c0f51c6f2d779530451d';

describeWithSamples('the public File captures', () => {
	it('xsoar-machine_outputs: one item for the file on its machine, searched by MD5', () => {
		const items = fileItems(
			queryAnswerFacts(sample<VisualSearchResponse>('xsoar-machine_outputs.json')),
			'md5',
		);
		expect(items).toEqual([
			{
				hash: MD5,
				hashType: 'md5',
				md5: MD5,
				sha1: SHA1,
				fileName: 'bdata.bin',
				filePath: 'c:\\windows\\temp\\sb-sim-temp-yavwth\\sb_11243939_bs_7jtkho\\bdata.bin',
				machineName: 'desktop-p0m5vad',
				machineGuid: '-1879720555.1198775089551512345',
				maliciousClassification: 'av_detected',
				blocked: null,
				signed: null,
				company: null,
				fileGuid: '-1879720569.-2277552225461983666',
			},
		]);
	});

	it('xsoar-file_outputs (the data member only): signed and company; the GUID is the map key', () => {
		const data = sample<Record<string, unknown>>('xsoar-file_outputs.json');
		const [item] = fileItems(
			queryAnswerFacts({ status: 'SUCCESS', message: '', data } as VisualSearchResponse),
			'sha1',
		);
		expect(item).toMatchObject({
			hash: '984e5a25910edafd4567c0f51c6f2d779530451d',
			hashType: 'sha1',
			signed: true,
			company: 'test_company_name',
			machineName: 'desktop-p0m5vad',
			// The capture's guidString is the machine's (an edited sample); the map key is the file's.
			fileGuid: '1899624463.3738670480412115128',
		});
	});
});

describe('file items', () => {
	const file = (machines: Array<[string, string]>, simple: Record<string, string> = {}) =>
		element(
			{
				elementDisplayName: 'report.docx',
				md5String: MD5.toUpperCase(),
				sha1String: SHA1,
				correctedPath: 'c:\\users\\ann\\report.docx',
				maliciousClassificationType: 'blacklist',
				markedForPrevention: 'True',
				isSigned: 'False',
				...simple,
			},
			{ ownerMachine: ['Machine', machines] },
		);

	it('reads "True"/"False" and lower-cases hashes; a name search reports the MD5 as the hash', () => {
		const [item] = fileItems(facts({ F1: file([['M1', 'ws-1']]) }));
		expect(item).toMatchObject({
			hash: MD5,
			hashType: 'md5',
			md5: MD5,
			blocked: true,
			signed: false,
			maliciousClassification: 'blacklist',
			machineGuid: 'M1',
			fileGuid: 'F1',
		});
	});

	it('one item per owner machine; a file without one keeps an item with null machine fields', () => {
		const items = fileItems(
			facts({
				F1: file([
					['M1', 'ws-1'],
					['M2', 'ws-2'],
				]),
				F2: file([]),
			}),
			'sha1',
		);
		expect(items.map((i) => [i.fileGuid, i.machineGuid, i.machineName, i.hash])).toEqual([
			['F1', 'M1', 'ws-1', SHA1],
			['F1', 'M2', 'ws-2', SHA1],
			['F2', null, null, SHA1],
		]);
	});

	it('a file without an MD5 reports its SHA-1; one with no hash at all reports none', () => {
		const items = fileItems(
			facts({
				F1: file([['M1', 'ws-1']], { md5String: '' }),
				F2: element({ elementDisplayName: 'x' }),
			}),
		);
		expect(items.map((i) => [i.hash, i.hashType])).toEqual([
			[SHA1, 'sha1'],
			[null, null],
		]);
	});
});
