// `palisade/testing`: the in-process test client.
export {
  TestClient,
  TestResponse,
  type TestClientOptions,
  type TestRequestOptions,
  type SubmitOptions,
  type CsrfMode,
  type TestFile,
  type FieldValue,
} from './client.js';
