import { tojson } from '../../../src/index.js';

export function page(user: { name: string }): string {
  return `<script>const user = ${tojson(user)};</script>`;
}
