/**
 * multipart/form-data parsing with the results n8n 2.40 produces (n8n uses formidable 3.5.4 with
 * `{ multiples: true, encoding: req.encoding, maxFileSize: N8N_FORMDATA_FILE_SIZE_MAX MiB,
 * allowEmptyFiles: true, minFileSize: 0 }`, see packages/cli/src/webhooks/webhook-form-data.ts).
 * formidable is not installed here, so this is a buffered re-implementation of what it yields:
 *
 * - A part WITH a Content-Type header is a file, whatever its filename; a part without one is a
 *   field (string), even if it carries a filename.
 * - Files are written to os.tmpdir() under a random 25-character name (`newFilename`), and are
 *   deleted again after webhook() returned: the node must copy them during webhook().
 * - `fields`/`files` values are arrays; n8n then unwraps 1-element arrays, so a name sent once
 *   is a plain value and a repeated name stays an array.
 * - File inputs a browser left empty (filename="" and 0 bytes) are dropped.
 * - Size errors answer 413 "The submitted form data exceeds the allowed size."; unparsable
 *   bodies (e.g. no boundary) answer 400 "The submitted form data could not be parsed.".
 */
import { randomInt } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

import { HttpResponseError, type ShimRequest } from './httpShim';

/** Shape of formidable's PersistentFile as a webhook node sees it. */
export class FormidableFile {
	lastModifiedDate: Date | null = null;

	size = 0;

	readonly hashAlgorithm = false as const;

	readonly hash = null;

	// eslint-disable-next-line @typescript-eslint/naming-convention
	readonly _writeStream = null;

	constructor(
		readonly filepath: string,
		readonly newFilename: string,
		readonly originalFilename: string | null,
		readonly mimetype: string | null,
	) {}

	toJSON() {
		return {
			size: this.size,
			filepath: this.filepath,
			newFilename: this.newFilename,
			mimetype: this.mimetype,
			mtime: this.lastModifiedDate,
			length: undefined,
			originalFilename: this.originalFilename,
		};
	}

	toString() {
		return `PersistentFile: ${this.newFilename}, Original: ${this.originalFilename}, Path: ${this.filepath}`;
	}
}

export interface MultipartLimits {
	/** N8N_FORMDATA_FILE_SIZE_MAX in MiB: per file, and (formidable's default) for all files together. */
	formDataFileSizeMaxMb: number;
}

const MAX_FIELDS = 1000;
const MAX_FIELDS_SIZE = 20 * 1024 * 1024;

const tooLarge = () =>
	new HttpResponseError('The submitted form data exceeds the allowed size.', 413);
const unparsable = () => new HttpResponseError('The submitted form data could not be parsed.', 400);

function newFilename(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	let name = alphabet[randomInt(26)];
	for (let i = 1; i < 25; i++) name += alphabet[randomInt(alphabet.length)];
	return name;
}

function fileNameOf(headerValue: string): string | null {
	const match = headerValue.match(/\bfilename=("(.*?)"|([^()<>{}[\]@,;:"?=\s/\t]+))($|;\s)/i);
	if (!match) return null;
	const raw = match[2] ?? match[3] ?? '';
	return raw
		.slice(raw.lastIndexOf('\\') + 1)
		.replace(/%22/g, '"')
		.replace(/&#([\d]{4});/g, (_, code: string) => String.fromCharCode(Number(code)));
}

async function readBody(req: ShimRequest, limit: number): Promise<Buffer> {
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let received = 0;
		req.on('data', (chunk: Buffer) => {
			received += chunk.length;
			if (received > limit) {
				req.pause();
				reject(tooLarge());
				return;
			}
			chunks.push(chunk);
		});
		req.once('end', () => resolve(Buffer.concat(chunks, received)));
		req.once('error', reject);
	});
}

type Values<T> = Record<string, T | T[]>;

function normalize<T>(values: Record<string, T[]>): Values<T> {
	const out: Values<T> = {};
	for (const [key, list] of Object.entries(values)) out[key] = list.length === 1 ? list[0] : list;
	return out;
}

export interface ParsedFormData {
	body: { data: Values<string>; files: Values<FormidableFile> };
	cleanup: () => Promise<void>;
}

export async function parseMultipartFormData(
	req: ShimRequest,
	limits: MultipartLimits,
): Promise<ParsedFormData> {
	const maxFileSize = limits.formDataFileSizeMaxMb * 1024 * 1024;
	const contentType = req.headers['content-type'] ?? '';
	const boundaryMatch = contentType.match(/boundary=(?:"([^"]+)"|([^;]+))/i);
	if (!boundaryMatch) throw unparsable();
	const boundary = boundaryMatch[1] ?? boundaryMatch[2];
	const encoding = req.encoding ?? 'utf-8';

	const written: string[] = [];
	const cleanup = async () => {
		await Promise.all(
			written.map(async (path) => await rm(path, { force: true }).catch(() => undefined)),
		);
	};

	try {
		const raw = await readBody(req, maxFileSize + MAX_FIELDS_SIZE + 1024 * 1024);
		const delimiter = Buffer.from(`--${boundary}`);
		const fields: Record<string, string[]> = {};
		const files: Record<string, FormidableFile[]> = {};
		let fieldCount = 0;
		let fieldsSize = 0;
		let totalFileSize = 0;

		let position = raw.indexOf(delimiter);
		if (position === -1) throw unparsable();
		for (;;) {
			position += delimiter.length;
			if (raw[position] === 0x2d && raw[position + 1] === 0x2d) break; // closing delimiter "--"
			// skip transport padding and the CRLF after the delimiter
			while (raw[position] === 0x20 || raw[position] === 0x09) position++;
			if (raw[position] !== 0x0d || raw[position + 1] !== 0x0a) throw unparsable();
			position += 2;
			const headerEnd = raw.indexOf('\r\n\r\n', position);
			if (headerEnd === -1) throw unparsable();
			const next = raw.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
			if (next === -1) throw unparsable();

			const headers: Record<string, string> = {};
			for (const line of raw.toString('latin1', position, headerEnd).split('\r\n')) {
				const colon = line.indexOf(':');
				if (colon === -1) continue;
				headers[line.slice(0, colon).trim().toLowerCase()] = line
					.slice(colon + 1)
					.replace(/^[ \t]+/, '');
			}
			let content = raw.subarray(headerEnd + 4, next);
			position = next + 2;

			const disposition = headers['content-disposition'] ?? '';
			const nameMatch = disposition.match(/\bname=("([^"]*)"|([^()<>@,;:\\"/[\]?={}\s\t]+))/i);
			const name = nameMatch ? (nameMatch[2] ?? nameMatch[3] ?? '') : 'null';
			const transferEncoding = (headers['content-transfer-encoding'] ?? encoding).toLowerCase();
			if (transferEncoding === 'base64') content = Buffer.from(content.toString('ascii'), 'base64');
			else if (!['binary', '7bit', '8bit', 'utf-8', 'utf8', encoding].includes(transferEncoding)) {
				throw new HttpResponseError('unknown transfer-encoding', 501);
			}

			const mimetype = headers['content-type'];
			if (!mimetype) {
				fieldCount++;
				fieldsSize += content.length;
				if (fieldCount > MAX_FIELDS || fieldsSize > MAX_FIELDS_SIZE) throw tooLarge();
				const decoder = new StringDecoder(encoding as BufferEncoding);
				(fields[name] ??= []).push(decoder.write(content) + decoder.end());
				continue;
			}

			totalFileSize += content.length;
			if (content.length > maxFileSize || totalFileSize > maxFileSize) throw tooLarge();
			const filename = newFilename();
			const filepath = join(tmpdir(), filename);
			written.push(filepath);
			await writeFile(filepath, content);
			const file = new FormidableFile(filepath, filename, fileNameOf(disposition), mimetype);
			file.size = content.length;
			file.lastModifiedDate = new Date();
			(files[name] ??= []).push(file);
		}

		// n8n's discardBlankFileInputs: a browser's empty file input (filename="" and no bytes)
		const filled: Record<string, FormidableFile[]> = {};
		for (const [key, list] of Object.entries(files)) {
			const kept = list.filter((file) => !(file.originalFilename === '' && file.size === 0));
			if (kept.length > 0) filled[key] = kept;
		}

		return { body: { data: normalize(fields), files: normalize(filled) }, cleanup };
	} catch (error) {
		await cleanup();
		throw error;
	}
}
