import { z } from '../vendor';
import { escapeHtml } from './pages';

/**
 * The Custom Form response type: the fields as the node defines them, the form page they make, and
 * the check of a posted answer (a person's browser is not trusted: every value is checked again
 * here, whatever the page's own `required` and input types let through).
 */

/** The longest text a person may answer in one field (or in Free Text). */
export const MAX_TEXT = 4000;

const formField = z
	.object({
		fieldLabel: z.string({ required_error: 'is empty' }).trim().min(1, 'is empty'),
		fieldType: z.enum(['text', 'textarea', 'number', 'email', 'date', 'dropdown']).default('text'),
		choices: z.string().default(''),
		requiredField: z.boolean().default(false),
	})
	.transform((field) => ({ ...field, choices: field.choices.split(',').map((choice) => choice.trim()).filter((choice) => choice !== '') }))
	.refine((field) => field.fieldType !== 'dropdown' || field.choices.length > 0, { message: 'is a dropdown without choices', path: ['choices'] });

export const formFieldsSchema = z
	.array(formField)
	.min(1, 'has no fields: add at least one')
	.superRefine((fields, problems) => {
		const seen = new Set<string>();
		fields.forEach((field, index) => {
			if (seen.has(field.fieldLabel)) problems.addIssue({ code: 'custom', message: `has the label "${field.fieldLabel}" twice; labels are the output's keys`, path: [index, 'fieldLabel'] });
			seen.add(field.fieldLabel);
		});
	});

export type FormField = z.output<typeof formFieldsSchema>[number];

const inputName = (index: number) => `field-${index}`;

/** How one posted value is checked; an empty optional field is null. */
function valueSchema(field: FormField): z.ZodType<string | number | null, z.ZodTypeDef, unknown> {
	const empty = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');
	const filled: z.ZodType<string | number> = {
		text: z.string().trim().max(MAX_TEXT, `is longer than ${MAX_TEXT} characters`),
		textarea: z.string().trim().max(MAX_TEXT, `is longer than ${MAX_TEXT} characters`),
		number: z.coerce.number({ invalid_type_error: 'is not a number' }).finite('is not a number'),
		email: z.string().trim().email('is not an email address'),
		date: z
			.string()
			.trim()
			.regex(/^\d{4}-\d\d-\d\d$/, 'is not a date (YYYY-MM-DD)')
			.refine((text) => new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'is not a date'),
		dropdown: z.string().refine((text) => field.choices.includes(text), 'is not one of the choices'),
	}[field.fieldType];
	return z.unknown().transform((value, problems) => {
		if (empty(value)) {
			if (field.requiredField) problems.addIssue({ code: 'custom', message: 'is required' });
			return null;
		}
		const parsed = filled.safeParse(Array.isArray(value) ? value[0] : value);
		if (!parsed.success) {
			problems.addIssue({ code: 'custom', message: parsed.error.issues[0].message });
			return z.NEVER;
		}
		return parsed.data;
	});
}

export type FormAnswer = { ok: true; values: Record<string, string | number | null> } | { ok: false; problems: Map<number, string> };

/** Checks a posted form: the answer keyed by field label, or what is wrong with each field. */
export function parseFormAnswer(fields: FormField[], body: Record<string, unknown>): FormAnswer {
	const values: Record<string, string | number | null> = {};
	const problems = new Map<number, string>();
	fields.forEach((field, index) => {
		const parsed = valueSchema(field).safeParse(body[inputName(index)]);
		if (parsed.success) values[field.fieldLabel] = parsed.data;
		else problems.set(index, `${field.fieldLabel} ${parsed.error.issues[0].message}.`);
	});
	return problems.size === 0 ? { ok: true, values } : { ok: false, problems };
}

/** The form as plain HTML (no script); after a refused post it keeps what was entered. */
export function formHtml(fields: FormField[], entered: Record<string, unknown> = {}, problems = new Map<number, string>()): string {
	const rows = fields.map((field, index) => {
		const name = inputName(index);
		const value = escapeHtml(String(entered[name] ?? ''));
		const required = field.requiredField ? ' required' : '';
		const problem = problems.get(index);
		const alert = problem ? `<br><span role="alert" style="color:#b00020">${escapeHtml(problem)}</span>` : '';
		let input: string;
		if (field.fieldType === 'textarea') input = `<textarea id="${name}" name="${name}" rows="5" style="width:100%;box-sizing:border-box" maxlength="${MAX_TEXT}"${required}>${value}</textarea>`;
		else if (field.fieldType === 'dropdown') {
			const choices = field.choices.map((choice) => `<option${choice === entered[name] ? ' selected' : ''}>${escapeHtml(choice)}</option>`).join('');
			input = `<select id="${name}" name="${name}"${required}><option value=""></option>${choices}</select>`;
		} else input = `<input id="${name}" name="${name}" type="${field.fieldType}"${field.fieldType === 'number' ? ' step="any"' : ''} value="${value}"${required}>`;
		return `<p><label for="${name}">${escapeHtml(field.fieldLabel)}${field.requiredField ? ' *' : ''}</label><br>${input}${alert}</p>`;
	});
	return `<form method="post">${rows.join('')}<button type="submit">Send</button></form>`;
}
