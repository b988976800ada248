// Lab service "buffalo": stands in for a gobuffalo app (Debian ships no
// Buffalo, so this is net/http answering like Buffalo: unknown routes get
// Buffalo's HTML 404 page). Models the Buffalo seed, an admin API protected
// by an X-API-Key header. -mode vuln has the seed's bugs: the key middleware
// lets HEAD through, the whoami route was registered outside the protected
// group, and /products never checks the key the spec declares.
// -mode hard is the fixed twin. See tests/lab/CONTRACT.md.
package main

import (
	"crypto/subtle"
	"fmt"
	"html"
	"net/http"
	"os"
	"strconv"
	"strings"
	"warden.lab/labkit"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: buffalo", "version": "3.2.0"},
  "paths": {
    "/api/v1/admin/containers": {
      "get": {"operationId": "adminContainers", "summary": "List running containers",
              "responses": {"200": {"description": "containers"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/admin/whoami": {
      "get": {"operationId": "adminWhoami", "summary": "Identity of the service account",
              "responses": {"200": {"description": "identity"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/products": {
      "get": {"operationId": "listProducts", "summary": "List products",
              "responses": {"200": {"description": "products"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/products/{id}": {
      "get": {"operationId": "showProduct", "summary": "One product",
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
              "responses": {"200": {"description": "product"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/orders": {
      "get": {"operationId": "listOrders", "summary": "List orders",
              "responses": {"200": {"description": "orders"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/admin/request": {
      "get": {"operationId": "adminRequest", "summary": "Debug: the request as the server saw it",
              "responses": {"200": {"description": "request"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/health": {
      "get": {"operationId": "health", "summary": "Liveness probe", "security": [],
              "responses": {"200": {"description": "ok"}}}
    }
  },
  "components": {
    "securitySchemes": {"ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
  },
  "security": [{"ApiKeyAuth": []}]
}`

// `docker ps` as the admin action shells out to it.
const dockerPS = `CONTAINER ID   IMAGE                                 COMMAND                  CREATED      STATUS      PORTS                    NAMES
3f1c2a9b7d4e   registry.example.com/shop/api:1.4.2   "/app/server"            3 days ago   Up 3 days   0.0.0.0:8080->8080/tcp   shop-api-1
9b2e4c1d8a7f   postgres:15                           "docker-entrypoint.s…"   3 days ago   Up 3 days   5432/tcp                 shop-db-1
c41d7e2f9a3b   redis:7-alpine                        "docker-entrypoint.s…"   3 days ago   Up 3 days   6379/tcp                 shop-redis-1
`

const orders = `[{"id":1001,"product":1,"qty":2,"customer":"c-7781"},{"id":1002,"product":3,"qty":1,"customer":"c-1204"}]`

// Buffalo's development error page (GO_ENV=development) for a failed action.
const devErrorPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>500 - Internal Server Error | Buffalo</title></head>
<body><header><h1>500 - Internal Server Error</h1></header>
<div class="container"><h2>Error</h2><pre>strconv.Atoi: parsing %q: invalid syntax</pre>
<h2>Stack Trace</h2><pre>goroutine 51 [running]:
shop/actions.ProductsShow({0x9d4e20, 0xc0001b6000})
	/src/shop/actions/products.go:44 +0x1c5
github.com/gobuffalo/buffalo.RouteInfo.ServeHTTP({{0x8a7e2f, 0x3}, {0xc000038b40, 0x15}, ...})
	/go/pkg/mod/github.com/gobuffalo/buffalo@v0.18.14/route_info.go:102 +0x3b2
net/http.serverHandler.ServeHTTP({0xc0001a4000}, {0x9d7b18, 0xc0001c01c0}, 0xc0001b4100)
	/usr/local/go/src/net/http/server.go:2947 +0x2c5</pre>
<h2>Request</h2><pre>GET /api/v1/products/%s</pre></div>
<footer>Powered by gobuffalo.io &middot; github.com/gobuffalo/buffalo</footer></body></html>
`

const products = `[{"id":1,"name":"Buffalo plaid shirt","price":39.9,"stock":12},{"id":2,"name":"Canvas tote","price":14.5,"stock":40},{"id":3,"name":"Enamel mug","price":9.0,"stock":0}]`

// productByID serves /api/v1/products/{id}; set per mode in main.
var productByID func(w http.ResponseWriter, r *http.Request, id string)

type route struct {
	path    string
	handler http.HandlerFunc
}

func main() {
	f := labkit.ParseFlags()
	key := os.Getenv("LAB_API_KEY")
	if key == "" {
		key = "lab-key-buffalo-123456"
	}
	hasKey := func(r *http.Request) bool {
		return subtle.ConstantTimeCompare([]byte(r.Header.Get("X-API-Key")), []byte(key)) == 1
	}
	// VULNERABLE [auth.key-in-query]: the seed's middleware falls back to the
	// query string, so keys end up in access logs and proxies.
	hasKeyAnywhere := func(r *http.Request) bool {
		k := r.Header.Get("X-API-Key")
		if k == "" {
			k = r.URL.Query().Get("X-API-Key")
		}
		return subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1
	}
	unauthorized := func(w http.ResponseWriter) {
		jsonBody(w, http.StatusUnauthorized, `{"error":"unauthorized"}`)
	}

	routes := map[string]http.HandlerFunc{
		"/openapi.json":  func(w http.ResponseWriter, _ *http.Request) { jsonBody(w, 200, openAPI) },
		"/api/v1/health": func(w http.ResponseWriter, _ *http.Request) { jsonBody(w, 200, `{"status":"ok"}`) },
		"/api/v1/products": func(w http.ResponseWriter, _ *http.Request) {
			jsonBody(w, 200, products)
		},
	}
	var app http.Handler

	if !f.Hard() {
		// The seed's key middleware, applied to the admin/containers action only.
		apiKey := func(next http.HandlerFunc) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				// VULNERABLE [auth.method-bypass]: "HEAD has no body, nothing to
				// protect": the check is skipped, yet HEAD runs the GET action.
				if r.Method == http.MethodHead {
					next(w, r)
					return
				}
				if !hasKeyAnywhere(r) {
					unauthorized(w)
					return
				}
				next(w, r)
			}
		}
		// VULNERABLE [auth.invalid-credential-accepted]: /orders only checks
		// that a key is present, not that it is the right one.
		routes["/api/v1/orders"] = func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-API-Key") == "" {
				unauthorized(w)
				return
			}
			jsonBody(w, 200, orders)
		}
		// VULNERABLE [auth.credential-echoed]: a debug action that prints the
		// request headers back, the key among them.
		routes["/api/v1/admin/request"] = apiKey(func(w http.ResponseWriter, r *http.Request) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.Path)
			for _, h := range []string{"Host", "User-Agent", "X-API-Key"} {
				fmt.Fprintf(&b, "%s: %s\n", h, r.Header.Get(h))
			}
			textBody(w, b.String())
		})
		// VULNERABLE [leak.debug-page]: Buffalo's development error page
		// (GO_ENV=development) with the stack trace, for a non-numeric id.
		productByID = func(w http.ResponseWriter, r *http.Request, id string) {
			if _, err := strconv.Atoi(id); err != nil {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprintf(w, devErrorPage, id, html.EscapeString(id))
				return
			}
			jsonBody(w, 200, `{"id":1,"name":"Buffalo plaid shirt","price":39.9,"stock":12}`)
		}
		routes["/api/v1/admin/containers"] = apiKey(func(w http.ResponseWriter, _ *http.Request) {
			textBody(w, dockerPS) // raw `docker ps` output
		})
		// VULNERABLE [container.command-output]: registered outside the admin
		// group, so no key is asked, and it prints `id` run as root.
		routes["/api/v1/admin/whoami"] = func(w http.ResponseWriter, _ *http.Request) {
			textBody(w, "uid=0(root) gid=0(root) groups=0(root)\n")
		}
		// VULNERABLE [auth.no-auth]: /api/v1/products is in routes without any
		// key check although the spec declares ApiKeyAuth globally.
		app = buffaloRouter(routes, true)
	} else {
		routes["/api/v1/admin/containers"] = func(w http.ResponseWriter, _ *http.Request) {
			jsonBody(w, 200, `[{"name":"shop-api-1","state":"running"},{"name":"shop-db-1","state":"running"},{"name":"shop-redis-1","state":"running"}]`)
		}
		routes["/api/v1/admin/whoami"] = func(w http.ResponseWriter, _ *http.Request) {
			jsonBody(w, 200, `{"service_account":"shop-api","role":"admin"}`)
		}
		routes["/api/v1/orders"] = func(w http.ResponseWriter, _ *http.Request) { jsonBody(w, 200, orders) }
		routes["/api/v1/admin/request"] = func(w http.ResponseWriter, r *http.Request) {
			jsonBody(w, 200, `{"method":"`+r.Method+`","path":"`+r.URL.Path+`"}`)
		}
		productByID = func(w http.ResponseWriter, r *http.Request, id string) {
			if _, err := strconv.Atoi(id); err != nil {
				jsonBody(w, http.StatusBadRequest, `{"error":"invalid id"}`)
				return
			}
			jsonBody(w, 200, `{"id":1,"name":"Buffalo plaid shirt","price":39.9,"stock":12}`)
		}
		router := buffaloRouter(routes, false)
		// Every /api/v1 route but health needs the key, whatever the method.
		app = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/v1/") && r.URL.Path != "/api/v1/health" && !hasKey(r) {
				unauthorized(w)
				return
			}
			router.ServeHTTP(w, r)
		})
	}

	labkit.Serve(f, app)
}

// buffaloRouter dispatches GET/HEAD (and OPTIONS) to the route table and
// renders Buffalo's 404 page for anything else; dev mode (vuln) lists the
// routes on that page as Buffalo's development error page does.
func buffaloRouter(routes map[string]http.HandlerFunc, dev bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := routes[r.URL.Path]
		if id := strings.TrimPrefix(r.URL.Path, "/api/v1/products/"); !ok && id != r.URL.Path && id != "" {
			h, ok = func(w http.ResponseWriter, r *http.Request) { productByID(w, r, id) }, true
		}
		if !ok {
			notFound(w, r, routes, dev)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h(w, r)
		case http.MethodOptions:
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
}

func notFound(w http.ResponseWriter, r *http.Request, routes map[string]http.HandlerFunc, dev bool) {
	var table strings.Builder
	if dev {
		table.WriteString(`<h2>Routes</h2><table class="table"><thead><tr><th>METHOD</th><th>PATH</th><th>HANDLER</th></tr></thead><tbody>`)
		for _, rt := range [][2]string{
			{"/api/v1/admin/containers", "AdminContainersList"}, {"/api/v1/admin/whoami", "AdminWhoami"},
			{"/api/v1/health", "HealthHandler"}, {"/api/v1/products", "ProductsList"}, {"/openapi.json", "OpenAPIHandler"},
		} {
			if _, ok := routes[rt[0]]; ok {
				fmt.Fprintf(&table, `<tr><td>GET</td><td>%s</td><td>shop/actions.%s</td></tr>`, rt[0], rt[1])
			}
		}
		table.WriteString(`</tbody></table>`)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>404 - Not Found | Buffalo</title>
  <style>body{font-family:Helvetica,Arial,sans-serif;margin:0}header{background:#2a3c4c;color:#fff;padding:1em 2em}.container{padding:1em 2em}code{background:#eee;padding:2px 4px}</style>
</head>
<body>
<header><h1>404 - Not Found</h1></header>
<div class="container">
  <p>could not find %s %s</p>
  %s
</div>
<footer class="container">Powered by <a href="https://gobuffalo.io">gobuffalo.io</a> &middot; github.com/gobuffalo/buffalo</footer>
</body>
</html>
`, html.EscapeString(r.Method), html.EscapeString(r.URL.Path), table.String())
}

func jsonBody(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

func textBody(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, body)
}

// ---------------------------------------------------------------------------
// Lab plumbing, identical in every Go lab service: flags, listening on the
// given address, -addr-file (written atomically once the socket is bound),
// optional TLS and the plain-HTTP redirect listener, hardened headers.
// ---------------------------------------------------------------------------
