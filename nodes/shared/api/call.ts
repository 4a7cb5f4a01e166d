// What every endpoint function takes besides its own arguments.

export interface ApiCall {
	/** The input item the call is for, so n8n shows the error on it. */
	itemIndex?: number;
	/** What the call does, for messages ("look up the sensors of the machines to isolate"); each endpoint has one. */
	operation?: string;
}

/** Path segment: GUIDs and e-mail user names stay readable (the console's own clients send `@` as is). */
export function segment(value: string): string {
	return encodeURIComponent(value).replace(/%40/g, '@');
}
