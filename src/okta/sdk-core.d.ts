// The parts of @okta/okta-sdk-nodejs that dialsync loads, by their own files: the package's main entry builds
// every generated API and model (about 95 MB of memory), and its typings live apart from the code (src/types).
// These map each file to the SDK's own typings for it. The version is pinned exactly in package.json.
declare module '@okta/okta-sdk-nodejs/src/http.js' {
  export { Http } from '@okta/okta-sdk-nodejs/src/types/http.js';
}
declare module '@okta/okta-sdk-nodejs/src/oauth.js' {
  export { OAuth } from '@okta/okta-sdk-nodejs/src/types/oauth.js';
}
declare module '@okta/okta-sdk-nodejs/src/default-request-executor.js' {
  export { DefaultRequestExecutor } from '@okta/okta-sdk-nodejs/src/types/default-request-executor.js';
}
