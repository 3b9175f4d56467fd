// `palisade/testing`: the in-process test client.
export { TestClient, TestResponse, type TestClientOptions, type TestRequestOptions } from './client.js';
