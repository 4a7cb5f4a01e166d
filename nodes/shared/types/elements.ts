// crimes/unified and Visual Search: the element-data answer (every simpleValues value a string).
/** Query-style envelope (crimes/unified, visual search): HTTP 200 even when `status` says otherwise. */
export type EnvelopeStatus =
	| 'SUCCESS'
	| 'FAILURE'
	| 'PARTIAL_SUCCESS'
	| 'NO_SERVERS_CONFIGURED'
	| 'QUERY_LIMIT_CROSSED'
	| 'TIMEOUT_ERROR';

export type MalopElementType = 'MalopProcess' | 'MalopLogonSession';

/** crimes/unified `simpleValues`: every value is a string (some captures carry "False"/"None"). */
export interface SimpleValue {
	totalValues: number;
	values: Array<string | null | Record<string, unknown>>;
}

export interface ElementRef {
	elementType: string;
	guid: string;
	name: string;
	hasSuspicions?: boolean | string;
	hasMalops?: boolean | string;
	elementValues?: Record<string, unknown>;
	simpleValues?: Record<string, SimpleValue>;
}

export interface ElementValue {
	totalValues: number;
	elementValues: ElementRef[];
	totalSuspicious?: number;
	totalMalicious?: number;
	guessedTotal?: number;
}

export interface MalopElement {
	simpleValues: Record<string, SimpleValue>;
	/** Rapid7: "occasionally returned as an empty dictionary". */
	elementValues: Record<string, ElementValue>;
	suspicions?: Record<string, number>;
	filterData?: { sortInGroupValue?: string; groupByValue?: string };
	isMalicious?: boolean | string;
	suspicionCount?: number;
	guidString: string;
	labelsIds?: unknown;
	malopPriority?: string | null;
	suspect?: boolean | string;
	malicious?: boolean | string;
}

export interface CrimesUnifiedFilter {
	facetName: string;
	values: Array<string | number>;
	filterType: 'GreaterThan' | 'LessThan' | 'Equals' | 'ContainsIgnoreCase' | string;
}

export interface CrimesUnifiedRequest {
	totalResultLimit: number;
	perGroupLimit: number;
	perFeatureLimit: number;
	templateContext: 'OVERVIEW' | 'MALOP' | 'SPECIFIC' | 'CUSTOM' | 'DETAILS';
	queryPath: Array<{
		requestedType: MalopElementType;
		guidList?: string[];
		filters?: CrimesUnifiedFilter[] | null;
		result: true;
	}>;
	customFields?: string[];
	queryTimeout?: number | null;
}

export interface CrimesUnifiedResponse {
	data: {
		resultIdToElementDataMap: Record<string, MalopElement>;
		suspicionsMap?: Record<string, unknown>;
		evidenceMap?: Record<string, unknown>;
		totalPossibleResults: number;
		guessedPossibleResults?: number;
		queryLimits?: {
			totalResultLimit: number;
			perGroupLimit: number;
			perFeatureLimit: number;
			groupingFeature?: { elementInstanceType: string; featureName: string };
			sortInGroupFeature?: unknown;
		};
		/** A boolean, or "False"/"True" in Python-converted captures. */
		queryTerminated: boolean | string;
		pathResultCounts?: Array<{ featureDescriptor: Record<string, unknown>; count: number }>;
		guids?: string[];
		paginationToken?: string | null;
		executionUUID?: string | null;
	} | null;
	status: EnvelopeStatus;
	hidePartialSuccess?: boolean | string;
	message: string;
	expectedResults?: number;
	failures?: number;
	failedServersInfo?: Record<string, unknown>;
}

/** Visual Search answers in the crimes/unified envelope: the same element data, for any element type. */
export type VisualSearchResponse = CrimesUnifiedResponse;
