/** Parsing of what requests carry (headers, query, bodies) and the Total.js schema conversions. */
import { FIELD_MAX } from './constants';

export function mediaType(contentType: string | undefined): string {
	if (contentType === undefined) return '';
	const semicolon = contentType.indexOf(';');
	return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

export function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Lowercase, diacritics removed (like Total.js toSearch, simplified). */
export function searchText(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** A Total.js schema `String(1000)`: objects and null become '', other values their text; trimmed and cut. */
export function schemaString(value: unknown): string {
	if (value === undefined || value === null || typeof value === 'object') return '';
	const text = (typeof value === 'string' ? value : String(value)).trim();
	return text.length > FIELD_MAX ? text.slice(0, FIELD_MAX) : text;
}

/** A Total.js schema `Number`: numbers stay, numeric text is parsed, anything else is 0. */
export function schemaNumber(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	if (typeof value === 'string') {
		const parsed = parseFloat(value.trim());
		return Number.isNaN(parsed) ? 0 : parsed;
	}
	return 0;
}

/** A CONVERT 'String' field: text stays, numbers become text, anything else ''. */
export function convertString(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '';
}

export function parseQuery(text: string): Record<string, string> {
	const query: Record<string, string> = {};
	if (text === '') return query;
	for (const [key, value] of new URLSearchParams(text)) {
		if (!(key in query)) query[key] = value;
	}
	return query;
}

/** `undefined` when absent or empty, `null` when invalid or zero, else the positive integer. */
export function pagingNumber(value: string | undefined): number | null | undefined {
	if (value === undefined || value === '') return undefined;
	if (!/^\d+$/.test(value)) return null;
	const number = Number(value);
	return number > 0 ? number : null;
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined | 'invalid' {
	if (text.trim() === '') return {};
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
			return parsed as Record<string, unknown>;
		}
		return {};
	} catch {
		return 'invalid';
	}
}

export function parseForm(text: string): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(text)) body[key] = value;
	return body;
}

/** Text fields of a multipart/form-data body (files are ignored). */
export function parseMultipart(raw: Buffer, contentType: string): Record<string, unknown> | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!match) return undefined;
	const boundary = `--${match[1] ?? match[2]}`;
	const text = raw.toString('utf8');
	const body: Record<string, unknown> = {};
	for (const part of text.split(boundary).slice(1)) {
		if (part.startsWith('--')) break;
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		const head = part.slice(0, headerEnd);
		const name = /name="([^"]*)"/i.exec(head);
		if (!name || /filename=/i.test(head)) continue;
		let value = part.slice(headerEnd + 4);
		if (value.endsWith('\r\n')) value = value.slice(0, -2);
		body[name[1]] = value;
	}
	return body;
}

/** A JSON, URL-encoded (or, where the route takes it, multipart) body as Total.js reads it, or the text of its 400 page. */
export function parseBody(
	contentType: string | undefined,
	raw: Buffer,
	allowMultipart = false,
): { body: Record<string, unknown> } | { invalid: string } {
	const type = mediaType(contentType);
	if (type === 'application/json') {
		const parsed = parseJsonObject(raw.toString('utf8'));
		return parsed === 'invalid' || parsed === undefined ? { invalid: 'Invalid JSON data.' } : { body: parsed };
	}
	if (type === 'application/x-www-form-urlencoded') return { body: parseForm(raw.toString('utf8')) };
	if (allowMultipart && type === 'multipart/form-data') {
		const body = parseMultipart(raw, contentType ?? '');
		return body === undefined ? { invalid: 'Invalid multipart data.' } : { body };
	}
	return { invalid: 'Invalid content type.' };
}
