/**
 * Where a request carries its CSRF token: the names that the CSRF check, forms, the test
 * client and the templates' hidden field all use. They live in http/, the lowest layer
 * every one of them may import. See docs/forms-and-csrf.md.
 */

/** The form field that carries the token. */
export const CSRF_FIELD = 'csrf_token';
/** The request header that carries the token (for `fetch` and other scripts). */
export const CSRF_HEADER = 'X-CSRF-Token';
/** CSRF_HEADER as header objects key it (node and the test client lower-case every name). */
export const CSRF_HEADER_KEY = CSRF_HEADER.toLowerCase();
