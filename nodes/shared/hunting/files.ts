// Pure: a Visual Search File answer -> one item per file × machine (xsoar-machine_outputs, xsoar-file_outputs).
import type { IDataObject } from 'n8n-workflow';

import type { HashType } from '../api/visualSearch';
import type { QueryAnswerFacts } from '../malops/elements';
import { featureRefs, refName } from '../malops/elements';
import { isRecord } from '../malops/values';
import type { MalopElement } from '../types';
import { flag, hash, linksOf, text, valuesOf } from './read';

/** What a File element says about the file itself, machine apart. */
export interface FileFacts {
	fileGuid: string;
	md5: string | null;
	sha1: string | null;
	fileName: string | null;
	filePath: string | null;
	/** `maliciousClassificationType`: blacklist, whitelist, malware, av_detected, indifferent, … */
	maliciousClassification: string | null;
	/** `markedForPrevention`: the console prevents it from running (a blocked hash). */
	blocked: boolean | null;
	signed: boolean | null;
	company: string | null;
}

export function fileFacts(key: string, element: MalopElement): FileFacts {
	const sv = valuesOf(element);
	return {
		fileGuid: key,
		md5: hash(sv, 'md5String'),
		sha1: hash(sv, 'sha1String'),
		fileName: text(sv, 'elementDisplayName'),
		filePath: text(sv, 'correctedPath'),
		maliciousClassification: text(sv, 'maliciousClassificationType'),
		blocked: flag(sv, 'markedForPrevention'),
		signed: flag(sv, 'isSigned'),
		company: text(sv, 'companyName'),
	};
}

/**
 * `hash` is the file's hash of the type searched for (so an IF can compare it with the input), else its MD5
 * (or SHA-1 when the console sent no MD5).
 */
function fileItem(file: FileFacts, searched: HashType | undefined): IDataObject {
	const hashType = searched ?? (file.md5 ? 'md5' : file.sha1 ? 'sha1' : null);
	return {
		hash: hashType ? file[hashType] : null,
		hashType,
		md5: file.md5,
		sha1: file.sha1,
		fileName: file.fileName,
		filePath: file.filePath,
		machineName: null,
		machineGuid: null,
		maliciousClassification: file.maliciousClassification,
		blocked: file.blocked,
		signed: file.signed,
		company: file.company,
		fileGuid: file.fileGuid,
	};
}

/**
 * One item per file × owner machine (a File element is one file on one machine; should the console list several
 * owners, each gets its item); a file without an owner machine keeps one item with null machine fields.
 */
export function fileItems(facts: QueryAnswerFacts, searched?: HashType): IDataObject[] {
	const items: IDataObject[] = [];
	const map = facts.elements;
	for (const key in map) {
		const element = map[key];
		if (!isRecord(element)) continue;
		const file = fileFacts(key, element);
		const machines = featureRefs(linksOf(element), 'ownerMachine').refs;
		if (machines.length === 0) items.push(fileItem(file, searched));
		for (const machine of machines) {
			const item = fileItem(file, searched);
			item.machineName = refName(machine);
			item.machineGuid = machine.guid;
			items.push(item);
		}
	}
	return items;
}
