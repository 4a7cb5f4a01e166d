import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export interface CybereasonErrorDetails {
	message: string;
	description?: string;
	httpCode?: string;
	itemIndex?: number;
	/** A remediation/isolation POST whose answer was lost: the console may or may not have acted. */
	outcomeUnknown?: boolean;
	/** The console's own error kind, e.g. the envelope status or INVALID_ARGUMENT. */
	cybereasonStatus?: string;
}

/**
 * The one error type the nodes raise for console answers. Built from a plain object, never from an axios
 * error, so request headers (the session cookie) cannot end up in the execution data.
 */
export class CybereasonApiError extends NodeApiError {
	readonly outcomeUnknown: boolean;

	readonly cybereasonStatus?: string;

	constructor(node: INode, details: CybereasonErrorDetails) {
		const { message, description, httpCode, itemIndex } = details;
		super(node, { message, httpCode: httpCode ?? null } as JsonObject, {
			message,
			description,
			httpCode,
			itemIndex,
		});
		// NodeApiError replaces some messages with generic HTTP texts; keep ours.
		this.message = message;
		if (description !== undefined) this.description = description;
		this.outcomeUnknown = details.outcomeUnknown === true;
		this.cybereasonStatus = details.cybereasonStatus;
	}
}
