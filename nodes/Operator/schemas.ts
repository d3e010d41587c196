import { z } from '../shared/vendor';

/** Ids are integers; expressions and forms often deliver them as decimal strings. */
export const positiveId = z
	.union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a whole number such as 42')])
	.transform(Number)
	.refine((id) => Number.isSafeInteger(id) && id > 0, 'must be a whole number greater than 0');

export const httpUrl = z
	.string()
	.trim()
	.url('must be a full URL such as https://example.com/photo.jpg')
	.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://');

/** A URL field of a photo object, named in the error when it is left out. */
const photoUrl = (label: string, field: string) =>
	z.string({ required_error: `the ${label} ("${field}") is missing; the panel needs both URLs of every photo` }).pipe(httpUrl);

/** The contract's photo object lists both URLs, neither marked optional, so both are required. */
export const photo = z.object({ file_url: photoUrl('File URL', 'file_url'), big: photoUrl('Thumbnail URL', 'big') });

/** The answer to "Get user info from site", as the panel expects it. */
export const userInfoAnswer = z.object({
	id: positiveId,
	name: z.string().trim().min(1, 'is empty'),
	gender: z.string().default(''),
	avatar: z.union([httpUrl, z.literal('')]).default(''),
	balance: z.union([z.string(), z.number()]).transform(String).default(''),
	location: z.string().default(''),
	about: z.string().default(''),
	custom: z
		.array(z.object({ name: z.string().trim().min(1, 'is empty'), value: z.union([z.string(), z.number(), z.boolean()]).transform(String) }))
		.default([]),
});

/** The answer to "Get user private media from site". */
export const privateMediaAnswer = z.object({
	media: z.array(z.object({ url: httpUrl, big: httpUrl })),
});

export type UserInfoAnswer = z.output<typeof userInfoAnswer>;
export type PrivateMediaAnswer = z.output<typeof privateMediaAnswer>;
