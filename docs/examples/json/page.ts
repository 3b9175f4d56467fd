import { tojson } from 'palisade';

export function page(user: { name: string }): string {
  return `<script>const user = ${tojson(user)};</script>`;
}
