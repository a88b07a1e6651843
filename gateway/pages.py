"""The two HTML pages for people: the REST reference (Swagger UI) and the GraphQL playground (GraphiQL).

Their scripts and styles are served by docgate itself under /static (see static/README.md),
so the pages work without internet access.
"""

from __future__ import annotations

import html
import json

from starlette.requests import Request

_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>docgate REST API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<style>body {{ margin: 0 }} nav {{ font: 14px sans-serif; padding: 8px 20px; background: #1b1b1b; color: #ccc }}
nav a {{ color: #fff; margin-right: 16px }}
#key-hint {{ font: 15px sans-serif; margin: 12px 20px; padding: 10px 14px; background: #fff6d6;
  border: 1px solid #e6c200 }}</style>
</head>
<body>
<nav>docgate: <a href="/docs">Core REST API</a><a href="/docs?api=metadata">Metadata REST API</a>
<a href="/graphql">GraphQL playground</a><a href="/metadata">Metadata GraphQL playground</a></nav>
<p id="key-hint">This reference shows <b>your workspace's</b> objects once it has your API key:
click <b>Authorize</b> below, paste the key (<code>dg_…</code>) and press Authorize. No key at hand? Make one with
<code>docgate apikey create --workspace ID --name NAME</code> (<code>docgate workspace list</code> shows the ids).</p>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script>
// The document of a workspace needs its key: load the base document, then reload it with
// the key pasted under "Authorize" (and without it after "Logout").
const SPEC = new URLSearchParams(location.search).get("api") === "metadata" ? {metadata} : {core};
let key = null;
try {{ key = JSON.parse(localStorage.getItem("authorized") || "{{}}").bearerAuth.value || null; }} catch (e) {{}}
const hint = (hasKey) => {{ document.getElementById("key-hint").hidden = hasKey; }};
hint(!!key);
const reload = (system) => {{ hint(!!key); system.specActions.download(SPEC); }};
const ReloadOnAuthorize = () => ({{
  statePlugins: {{
    auth: {{
      wrapActions: {{
        authorize: (action, system) => (payload) => {{
          const result = action(payload);
          key = (payload && payload.bearerAuth && payload.bearerAuth.value) || null;
          reload(system);
          return result;
        }},
        logout: (action, system) => (names) => {{
          const result = action(names);
          key = null;
          reload(system);
          return result;
        }},
      }},
    }},
  }},
}});
window.ui = SwaggerUIBundle({{
  url: SPEC,
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  tryItOutEnabled: true,
  plugins: [ReloadOnAuthorize],
  requestInterceptor: (request) => {{
    if (request.loadSpec && key) request.headers.Authorization = "Bearer " + key;
    return request;
  }},
}});
</script>
</body>
</html>
"""

_GRAPHIQL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>docgate GraphQL playground: {title}</title>
<link rel="stylesheet" href="/static/graphiql/graphiql.min.css">
<style>body {{ margin: 0; height: 100vh }} #graphiql {{ height: 100vh }}</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="/static/graphiql/react.production.min.js"></script>
<script src="/static/graphiql/react-dom.production.min.js"></script>
<script src="/static/graphiql/graphiql.min.js"></script>
<script>
// The key goes in the Headers tab; until then, say so rather than send a request bound to fail.
const send = GraphiQL.createFetcher({{ url: location.origin + {endpoint} }});
const fetcher = (params, options) => {{
  const headers = (options && options.headers) || {{}};
  const auth = headers.Authorization || headers.authorization || "";
  if (!auth || auth.includes("<your API key>")) {{
    return Promise.resolve({{ errors: [{{ message: {hint} }}] }});
  }}
  return send(params, options);
}};
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {{
    fetcher,
    defaultQuery: {query},
    defaultHeaders: {headers},
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: true,
    storage: GraphiQL.createLocalStorage({{ namespace: {namespace} }}),
  }}),
);
</script>
</body>
</html>
"""

_DEFAULT_QUERIES = {
    "/graphql": "# Put your API key in the Headers tab below, then run this query.\n{\n  people(first: 5) {\n"
    "    totalCount\n    edges { node { id name { firstName lastName } } }\n  }\n}\n",
    "/metadata": "# Put your API key in the Headers tab below, then run this query.\n{\n  objects {\n"
    "    edges { node { nameSingular namePlural fieldsList { name type } } }\n  }\n}\n",
}


_HINT = (
    'Put your API key in the Headers tab below, as {"Authorization": "Bearer <key>"}, then run the query '
    "(and press the re-fetch button, bottom left, to load the schema for completion and docs)."
)


def wants_page(request: Request) -> bool:
    """A browser's GET of a GraphQL endpoint: HTML accepted, no `?sdl`."""
    if request.method != "GET":
        return False
    return "text/html" in request.headers.get("accept", "") and "sdl" not in request.query_params


def swagger_page() -> str:
    return _SWAGGER.format(core=json.dumps("/rest/open-api/core"), metadata=json.dumps("/rest/open-api/metadata"))


def graphiql_page(endpoint: str) -> str:
    query = _DEFAULT_QUERIES.get(endpoint, "{\n  __typename\n}\n")
    headers = json.dumps({"Authorization": "Bearer <your API key>"}, indent=2)
    return _GRAPHIQL.format(
        title=html.escape(endpoint),
        endpoint=json.dumps(endpoint),
        query=json.dumps(query),
        headers=json.dumps(headers),
        namespace=json.dumps(f"docgate{endpoint.replace('/', ':')}"),
        hint=json.dumps(_HINT),
    )
