/**
 * Verify tokens as the real v4 server makes them: Total.js's deterministic `String.encrypt`
 * of `<appid>-<sessionid>-<checksums>`. The result is `<checksum>-<hex>`, where the hex is
 * `<length>=A<scrambled text>` and the checksum is the sum of the hex's character codes plus a
 * constant of the server (its secret and key). Nodes may rely only on what a caller can see of
 * this: the shape, and that the checksum minus the hex's sum is the same for every token.
 */
import { checksum } from './state';

/** Total.js adds this marker character (code 65, "A") first when encrypting without a random seed. */
const MARKER = 65;

function charCodeSum(text: string): number {
	let sum = 0;
	for (let index = 0; index < text.length; index++) sum += text.charCodeAt(index);
	return sum;
}

export function encryptLikeTotal(text: string, key: string, secret: string): string {
	const source = `0${text}`;
	const length = source.length + (MARKER % key.length);
	const scrambled: string[] = [String.fromCharCode(MARKER)];
	for (let index = length - 1; index > 0; index--) {
		const code = source.charCodeAt(index % source.length) ^ key.charCodeAt(index % key.length) ^ MARKER;
		scrambled[index] = String.fromCharCode(code);
	}
	const hex = Buffer.from(`${text.length + key.length}=${scrambled.join('')}`, 'utf8').toString('hex');
	return `${charCodeSum(hex) + charCodeSum(secret + key)}-${hex}`;
}

/** The verify token of a session: what OpenPlatform puts after `/verify/?accesstoken=`. */
export function sessionToken(appId: string, sessionId: string, verifySalt: string, serverSecret: string): string {
	const plain = `${appId}-${sessionId}-${checksum(`${sessionId}${verifySalt}`)}${checksum(`${appId}${sessionId}${verifySalt}`)}`;
	return encryptLikeTotal(plain, serverSecret.slice(0, 20).padEnd(20, 'k'), `secret:${serverSecret}`);
}
