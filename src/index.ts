// The public face of Palisade: re-exports only. See docs/.
export { App, createApp } from './app/app.js';
export { Blueprint, type BlueprintOptions } from './app/blueprint.js';
export type { AppOptions, Env, ServerOptions } from './app/config.js';
export type { Handler, HandlerResult, RouteOptions, BeforeHook, AfterHook, ErrorHandler, ParamNames } from './app/routes.js';
export type { ListenOptions, RunningServer } from './adapters/node.js';
export { Request, type RouteInfo } from './http/request.js';
export { Response, type ResponseInit, type RedirectOptions } from './http/response.js';
export type { CookieOptions } from './http/cookies.js';
export { Params } from './http/params.js';
export type { MediaType } from './http/media-type.js';
export { Markup, SafeURL, SafeScript, SafeStyle } from './escape/markup.js';
export { escapeHTML } from './escape/html.js';
export { jsonify, type JsonifyOptions } from './json/jsonify.js';
export { PalisadeError, HttpError, TemplateError, ConfigError, ERROR_CODES, type ErrorCode } from './errors.js';
export { TestClient, TestResponse, type TestClientOptions, type TestRequestOptions } from './testing/client.js';
