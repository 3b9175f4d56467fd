// The public face of Palisade: re-exports only. See docs/.
export { App, createApp } from './create-app.js';
export { Blueprint, type BlueprintOptions } from './app/blueprint.js';
export { render, type AppTemplatesOption } from './app/render.js';
export type { AppOptions, Env, ServerOptions, LoggerSettings, PinoLogger } from './app/config.js';
export type { Handler, HandlerResult, RouteOptions, BeforeHook, AfterHook, ErrorHandler, ParamNames } from './app/route-collector.js';
export type { ListenOptions, RunningServer } from './adapters/node.js';
export { Request, type RouteInfo } from './http/request.js';
export { Response, type ResponseInit, type RedirectOptions } from './http/response.js';
export type { CookieOptions } from './http/cookies.js';
export { Params } from './http/params.js';
export type { MediaType } from './http/media-type.js';
export { Markup, SafeURL, SafeScript, SafeStyle } from './escape/markup.js';
export { escapeHTML } from './escape/html.js';
export { html } from './html.js';
export {
  renderString,
  compileTemplate,
  createTemplates,
  Template,
  Templates,
  type CompileOptions,
  type TemplatesOptions,
  type RenderEnv,
} from './templates/index.js';
export { jsonify, XSSI_PREFIX, type JsonifyOptions } from './json/jsonify.js';
export { toJSONForScript as tojson } from './escape/json.js';
export type { CORSOptions } from './security/cors.js';
export type { JSONOptions } from './security/resource-isolation.js';
export { secureFilename, type SecureFilenameOptions } from './files/secure-filename.js';
export { safeJoin } from './files/safe-join.js';
export { sendFile, type SendFileOptions } from './files/send-file.js';
export { sendUpload, type SendUploadOptions } from './files/send-upload.js';
export type { UploadedFile, SaveOptions } from './files/uploaded-file.js';
export type { MultipartBody } from './files/multipart.js';
export type { UploadOptions, StaticOptions } from './files/options.js';
export { PalisadeError, HttpError, TemplateError, ConfigError, ERROR_CODES, type ErrorCode } from './errors.js';
export { Signer, type SignerOptions, type UnsignResult, type UnsignFailure } from './security/signing.js';
export { Session } from './security/session.js';
export type { SessionOptions, UserEpoch, EndUserSessions } from './security/session-manager.js';
export { MemoryStore, type SessionStore } from './security/session-store.js';
export { RedisStore, type RedisStoreOptions } from './security/session-redis.js';
export type { RedisConnectionOptions } from './security/redis-options.js';
export { hashPassword, verifyPassword, needsRehash, PASSWORD_DEFAULTS, MAX_PASSWORD_BYTES, type PasswordHashOptions } from './auth/password.js';
export type { LoginOptions, LoadUser } from './auth/login.js';
export type { RateLimitRule, RateLimitKey, RateLimitSettings } from './security/rate-limit/options.js';
export type { RateLimitStore, WindowCounts, WindowQuery } from './security/rate-limit/window.js';
export { MemoryRateLimitStore } from './security/rate-limit/memory-store.js';
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from './security/rate-limit/redis-store.js';
export { csrfToken, type CsrfOptions } from './security/csrf.js';
export { CSRF_FIELD, CSRF_HEADER } from './http/csrf-names.js';
export type { HeadersOptions, HstsOptions, ReferrerPolicy } from './security/headers.js';
export { NONCE, type CspOptions, type CspSources } from './security/csp.js';
export { cspReportHandler, CSP_REPORT_ROUTE, type CspReportOptions } from './security/csp-report.js';
export { sse, type ServerEvent, type SseOptions, type EventStreamContext } from './realtime/sse.js';
export { WebSocketConnection, type WebSocketMessage, type CloseInfo } from './realtime/ws.js';
export type { WebSocketHandler } from './realtime/ws-hub.js';
export type { WebSocketOptions } from './realtime/ws-options.js';
export type { CompressOptions, Encoding } from './http/compress.js';
export type { RouteSchema, AnySchema, ResponseSchemas, Valid, ResponseValue } from './validation/types.js';
export type { ValidationOptions } from './validation/validation-protection.js';
export type { ValidationIssue } from './validation/issues.js';
export type { OpenAPIOptions, JSONSchemaObject } from './openapi/options.js';
export {
  defineForm,
  fields,
  Form,
  Field,
  ListField,
  FormView,
  FieldView,
  flash,
  getFlashedMessages,
  CSRF_FAILED_MESSAGE,
  DEFAULT_FORM_LIMITS,
} from './forms/index.js';
export type {
  FormShape,
  InferShape,
  FormOptions,
  FormResult,
  FormSuccess,
  FormFailure,
  FormValues,
  FormCheckResult,
  FieldInfo,
  Check,
  FieldOptions,
  StringOptions,
  NumberOptions,
  DateOptions,
  FileOptions,
  Choice,
  HtmlHints,
  RawInput,
  SchemaFieldOptions,
  ViewOptions,
  RenderOptions,
  FlashedOptions,
  FormLimits,
  FormsOptions,
} from './forms/index.js';
// These modules add members to interfaces by declaration merging (`req.files()`, the
// `jsonMaxDepth` route option, the request scope and internals); naming them here puts their
// declarations in the published types, which only follow the exports. The app loads them anyway.
export {} from './files/request-files.js';
export {} from './http/json-body.js';
export {} from './security/trust-guard.js';
export {} from './security/rate-limit/rate-limit-protection.js';
