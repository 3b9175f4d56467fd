/**
 * The `fields` namespace: the field builders, gathered in one object for
 * `import { fields } from 'palisade'`. See docs/forms-and-csrf.md#fields.
 */
export { string, email, integer, number, boolean, choice, date, file, list } from './builtin-fields.js';
export { schemaField as schema } from './standard-schema.js';
