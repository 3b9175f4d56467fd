/**
 * The route options that describe an operation in the API description, and the options of
 * `app.openapi()`. See docs/validation.md#openapi.
 */
import type { AnySchema } from '../validation/types.js';

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /** A short summary of what the route does, for the API description. See docs/validation.md#openapi. */
    summary?: string;
    /** A longer description (CommonMark), for the API description. */
    description?: string;
    /** Groups for the API description, e.g. `['notes']`. */
    tags?: readonly string[];
    /** Marks the route as deprecated in the API description. */
    deprecated?: boolean;
    /** The operation's id in the API description. Default: the route's name, when it has one. */
    operationId?: string;
  }
}

/** A JSON Schema, as an object. */
export type JSONSchemaObject = Record<string, unknown>;

/** The options of `app.openapi()`: the document's `info` and what else it should say. */
export interface OpenAPIOptions {
  /** The Info Object: `title` and `version` are required (`description`, `contact`… allowed). */
  info: { title: string; version: string } & Record<string, unknown>;
  /** The Server Objects, e.g. `[{ url: 'https://api.example.com' }]`. */
  servers?: readonly Record<string, unknown>[];
  /** Tag Objects that describe the route tags, e.g. `[{ name: 'notes', description: '…' }]`. */
  tags?: readonly Record<string, unknown>[];
  /**
   * A JSON Schema for a schema whose library does not implement Standard JSON Schema (or
   * to override it): return undefined to use the library's own. `io` says which side:
   * `input` for requests (and for responses, which are sent as the handler returns them).
   */
  jsonSchema?: (schema: AnySchema, io: 'input' | 'output') => JSONSchemaObject | undefined;
  /** Leave out routes: return false for a route not to describe (the description's own route, admin routes…). */
  include?: (route: { method: string; path: string; name: string | undefined }) => boolean;
}
