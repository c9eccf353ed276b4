// The API reference: Swagger UI (from its WebJar, served by the API) rendering /openapi.yaml.
// "Try it out" always calls the server this page came from, whatever the document's servers say,
// and nothing is sent elsewhere (no validator badge).
window.ui = window.SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  docExpansion: 'list',
  tryItOutEnabled: false,
  requestInterceptor: (request) => {
    const url = new URL(request.url, window.location.href);
    request.url = window.location.origin + url.pathname + url.search;
    return request;
  },
});
