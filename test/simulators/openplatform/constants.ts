/** Constants of the simulated server (limits, version, content types, fixed bodies). */

export const MAX_BODY_BYTES = 1024 * 1024;
export const FIELD_MAX = 1000;
export const UNREAD_LIMIT = 15;
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 1000;
export const VERSION = 4902;
export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const SUCCESS = '{"success":true}';
export const NOT_FOUND = '404: The resource not found';
