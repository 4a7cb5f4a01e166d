// The plain axios client of the baselines (P1, Hunt): the session cookie, and the answer as bytes or text as it came
// (the baseline's JSON.parse is the only work done on it).
import type { AxiosInstance } from 'axios';

export async function plainClient(task: {
	url: string;
	cookie: string;
	variant: string;
}): Promise<AxiosInstance> {
	const { default: axios } = await import('axios');
	return axios.create({
		baseURL: task.url,
		headers: {
			Cookie: task.cookie,
			'Content-Type': 'application/json',
			Accept: 'application/json',
		},
		responseType: task.variant === 'raw' ? 'arraybuffer' : 'text',
		transformResponse: (data: unknown) => data,
		maxContentLength: Infinity,
		maxBodyLength: Infinity,
	});
}
