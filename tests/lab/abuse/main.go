// Lab service "abuse": the OWASP API4 (resource consumption), API9
// (inventory) and API10 (unsafe consumption) patterns on labstack/echo v4.
// -mode vuln: no rate limiter anywhere (a read route and the login route
// answer any number of requests), a list route that honours any ?limit=,
// version 1 still served next to the spec's version 2, a spec route that
// is not served and non-production servers in the spec, an upstream's
// error page relayed inside JSON, upstream headers and a Via chain, a
// redirect to another host, a log list without paging (5000 entries, no
// paging parameter in the spec), a page-size parameter without a maximum,
// a deprecated operation still served, an order list whose ?expand=* and
// ?depth= embed related accounts as deep as asked (six levels, each with
// two children), a catalog answered whole (600 products, about 660 KB,
// no paging), and (OpenAPI 3.1) a webhook and a subscription callback
// whose requests carry no signature; POST /api/v2/subscriptions binds its
// body with Echo's c.Bind, which also takes the urlencoded form the spec
// does not declare [inputval.content-type-confusion with --active].
// -mode hard: Echo's own middleware.RateLimiter
// (golang.org/x/time/rate token buckets, keyed by client IP and request
// URI, 2 per second with a burst of 10) answering 429 with Retry-After
// and RateLimit headers, the page size capped at 100 (declared as the
// maximum in the spec, the log list paged the same way), only version 2,
// the deprecated operation answering 410 Gone, a spec that matches what runs,
// none of the relayed content, expand limited to the named relation
// "customer" one level deep (a wildcard means that, depth is capped at 1),
// a catalog paged by limit (maximum 100) and cursor with a "next" member,
// and a signature header (HMAC of the body) declared on the webhook and
// on the callback, and subscriptions answering Echo's 415 to any body
// that is not application/json. See tests/lab/CONTRACT.md.
package main

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warden.lab/labkit"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// The spec: version 2 of the API. vuln also declares /api/v2/reports,
// which is not served, and names non-production servers.
func spec(hard bool) string {
	reports, servers, maxLimit, tooMany := "", `"servers": [{"url": "http://staging.shop.internal:8080"}, {"url": "http://10.0.4.12:8080"}],`, "", ""
	// vuln: the log list declares no paging at all (and returns 5000
	// entries); hard: a limit with a maximum, like the item list.
	logsParams := ""
	// The order list's fan-out parameters (the twin declares depth's cap)
	// and the catalog's paging (the twin's only).
	depthMax, catalogParams := "", ""
	// The requests the API sends to subscribers: the twin documents the
	// signature header they carry (OpenAPI 3.1 webhooks and callbacks).
	hookSig, cbSig := "", ""
	if hard {
		depthMax = `, "maximum": 1`
		catalogParams = `"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                             {"name": "cursor", "in": "query", "schema": {"type": "string"}}],`
		hookSig = `"parameters": [{"name": "X-Shop-Signature", "in": "header", "required": true,
                               "description": "HMAC-SHA256 of the body with the subscription's secret",
                               "schema": {"type": "string"}}],`
		cbSig = `"parameters": [{"name": "Webhook-Signature", "in": "header", "required": true,
                             "schema": {"type": "string"}}],`
	}
	if hard {
		servers, maxLimit = `"servers": [{"url": "/"}, {"url": "https://api.shop.example/"}],`, `, "maximum": 100`
		tooMany = `, "429": {"description": "too many requests"}`
		logsParams = `"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],`
	} else {
		reports = `"/api/v2/reports": {"get": {"operationId": "listReports", "summary": "Reports",
              "responses": {"200": {"description": "reports"}}}},`
	}
	return `{
  "openapi": "3.1.0",
  "info": {"title": "warden lab: abuse", "version": "2.1.0"},
  ` + servers + `
  "paths": {
    "/api/v2/status": {
      "get": {"operationId": "status", "summary": "Service status",
              "responses": {"200": {"description": "status"}` + tooMany + `}}
    },
    "/api/v2/items": {
      "get": {"operationId": "listItems", "summary": "List items",
              "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"` + maxLimit + `}}],
              "responses": {"200": {"description": "items"}` + tooMany + `}}
    },
    "/api/v2/logs": {
      "get": {"operationId": "listLogs", "summary": "Audit log entries", ` + logsParams + `
              "responses": {"200": {"description": "log entries"}` + tooMany + `}}
    },
    "/api/v2/export": {
      "get": {"operationId": "export", "summary": "Export everything (replaced by /api/v2/items)",
              "deprecated": true,
              "responses": {"200": {"description": "export"}, "410": {"description": "gone"}` + tooMany + `}}
    },
    "/api/v2/login": {
      "post": {"operationId": "login", "summary": "Log in",
               "responses": {"200": {"description": "token"}, "401": {"description": "bad credentials"}` + tooMany + `}}
    },
    ` + reports + `
    "/api/v2/weather": {
      "get": {"operationId": "weather", "summary": "Weather from the upstream weather service",
              "responses": {"200": {"description": "forecast"}, "503": {"description": "upstream down"}}}
    },
    "/api/v2/prices": {
      "get": {"operationId": "prices", "summary": "Prices from the upstream pricing service",
              "responses": {"200": {"description": "prices"}}}
    },
    "/api/v2/partner": {
      "get": {"operationId": "partner", "summary": "The partner's page",
              "responses": {"302": {"description": "redirect"}, "200": {"description": "page"}}}
    },
    "/api/v2/orders": {
      "get": {"operationId": "listOrders", "summary": "Orders, with their related accounts embedded on request",
              "parameters": [{"name": "expand", "in": "query", "schema": {"type": "string"}},
                             {"name": "depth", "in": "query", "schema": {"type": "integer"` + depthMax + `}}],
              "responses": {"200": {"description": "orders"}` + tooMany + `}}
    },
    "/api/v2/catalog": {
      "get": {"operationId": "catalog", "summary": "The product catalog", ` + catalogParams + `
              "responses": {"200": {"description": "products"}` + tooMany + `}}
    },
    "/api/v2/subscriptions": {
      "post": {"operationId": "subscribe", "summary": "Register a URL to be told about order events",
               "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                 "properties": {"callbackUrl": {"type": "string", "format": "uri"}}}}}},
               "responses": {"201": {"description": "subscribed"}` + tooMany + `},
               "callbacks": {"orderEvent": {"{$request.body#/callbackUrl}": {"post": {` + cbSig + `
                 "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                 "responses": {"200": {"description": "received"}}}}}}}
    }
  },
  "webhooks": {
    "orderShipped": {"post": {"operationId": "orderShipped", "summary": "An order was shipped", ` + hookSig + `
      "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
      "responses": {"200": {"description": "received"}}}}
  },
  "components": {"securitySchemes": {}},
  "security": []
}`
}

// What the upstream weather service (behind nginx) answered when it was
// down: the vulnerable route wraps it, HTML and all, into its JSON.
const upstreamDown = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func main() {
	f := labkit.ParseFlags()
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true

	if f.Hard() {
		// Echo's rate limiter: a token bucket per client IP and request
		// URI, so a scan's single requests pass and a burst of one
		// request meets 429.
		const perSecond, burst = 2, 10
		e.Use(middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
			Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
				Rate: perSecond, Burst: burst, ExpiresIn: time.Minute,
			}),
			IdentifierExtractor: func(c echo.Context) (string, error) {
				// The request URI, query included: a burst of one request
				// meets the limit, while one request of a kind (the scan's
				// expand/depth question after its malformed values) is
				// answered whatever came before it on the path.
				return c.RealIP() + " " + c.Request().RequestURI, nil
			},
			DenyHandler: func(c echo.Context, id string, err error) error {
				h := c.Response().Header()
				h.Set("Retry-After", "1")
				h.Set("RateLimit-Limit", strconv.Itoa(burst))
				h.Set("RateLimit-Remaining", "0")
				h.Set("RateLimit-Reset", "1")
				return c.JSON(http.StatusTooManyRequests, map[string]string{"error": "too many requests"})
			},
		}))
	}

	doc := spec(f.Hard())
	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", []byte(doc))
	})
	status := func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
	e.GET("/api/v2/status", status)
	if !f.Hard() {
		// VULNERABLE [inventory.old-version-alive]: version 1 still runs.
		e.GET("/api/v1/status", status)
	}
	e.GET("/api/v2/items", func(c echo.Context) error {
		n := 20
		if v := c.QueryParam("limit"); v != "" {
			l, err := strconv.Atoi(v)
			if err != nil || l < 1 {
				return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid limit"})
			}
			n = l
		}
		// VULNERABLE [resource.page-size-unbounded]: any size is honoured.
		if f.Hard() && n > 100 {
			n = 100
		}
		if n > 20000 {
			n = 20000
		}
		items := make([]item, n)
		for i := range items {
			items[i] = item{ID: i + 1, Name: fmt.Sprintf("item %d", i+1)}
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"items": items, "count": n})
	})
	e.GET("/api/v2/logs", func(c echo.Context) error {
		// VULNERABLE [resource.unpaged-list]: every entry in every answer,
		// and the spec declares no paging parameter.
		n := 5000
		if f.Hard() {
			n = 50
			if v := c.QueryParam("limit"); v != "" {
				l, err := strconv.Atoi(v)
				if err != nil || l < 1 {
					return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid limit"})
				}
				n = l
				if n > 100 {
					n = 100
				}
			}
		}
		entries := make([]item, n)
		for i := range entries {
			entries[i] = item{ID: i + 1, Name: fmt.Sprintf("event %d", i+1)}
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"entries": entries})
	})
	e.GET("/api/v2/export", func(c echo.Context) error {
		if f.Hard() {
			// Deprecated and retired: 410 Gone, as announced.
			return c.JSON(http.StatusGone, map[string]string{"error": "gone: use /api/v2/items"})
		}
		// VULNERABLE [inventory.deprecated-alive]: deprecated in the spec,
		// still served.
		return c.JSON(http.StatusOK, map[string]interface{}{"items": []item{{ID: 1, Name: "item 1"}}})
	})
	if !f.Hard() {
		// Not in the spec, found by discovery (a report note).
		e.GET("/version", func(c echo.Context) error {
			return c.JSON(http.StatusOK, map[string]string{"app": "shop", "build": "2.1.0"})
		})
	}
	// The login form's description (GET) and the login itself (POST): a
	// limiter in front of the router sees both.
	e.GET("/api/v2/login", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"methods": []string{"password"}})
	})
	e.POST("/api/v2/login", func(c echo.Context) error {
		return c.JSON(http.StatusUnauthorized, map[string]string{"error": "bad credentials"})
	})
	e.GET("/api/v2/weather", func(c echo.Context) error {
		if f.Hard() {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "weather service unavailable"})
		}
		// VULNERABLE [unsafe.upstream-content]: the upstream's error page is
		// passed on inside the JSON answer.
		return c.JSON(http.StatusBadGateway, map[string]interface{}{"upstream_status": 502, "upstream_body": upstreamDown})
	})
	e.GET("/api/v2/prices", func(c echo.Context) error {
		if !f.Hard() {
			// VULNERABLE [unsafe.upstream-headers]: the upstream's headers
			// and the proxy chain are relayed.
			c.Response().Header().Set("X-Upstream-Server", "pricing-svc.shop.internal:9000")
			c.Response().Header().Set("Via", "1.1 edge-proxy, 1.1 pricing-gw.shop.internal")
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"currency": "EUR", "prices": map[string]float64{"lamp": 19.9, "desk": 149, "chair": 59}})
	})
	e.GET("/api/v2/partner", func(c echo.Context) error {
		if f.Hard() {
			return c.JSON(http.StatusOK, map[string]string{"partner": "see the partner list in the docs"})
		}
		// VULNERABLE [unsafe.foreign-redirect]: a redirect to another host
		// (a reserved name that never resolves).
		return c.Redirect(http.StatusFound, "http://partner.shop.invalid/landing")
	})
	e.GET("/api/v2/orders", func(c echo.Context) error {
		levels := 0
		if x := c.QueryParam("expand"); x != "" {
			levels = 1
			if x == "*" && !f.Hard() {
				levels = 6
			}
			if v := c.QueryParam("depth"); v != "" {
				d, err := strconv.Atoi(v)
				if err != nil || d < 0 {
					return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid depth"})
				}
				levels = d
			}
		}
		// VULNERABLE [resource.expand-fanout]: any depth is honoured (the
		// lab stops at six levels); the twin embeds the customer, no more.
		if f.Hard() && levels > 1 {
			levels = 1
		}
		if levels > 6 {
			levels = 6
		}
		orders := make([]map[string]interface{}, 20)
		for i := range orders {
			o := map[string]interface{}{"id": i + 1, "customer_id": 100 + i, "total": "19.90"}
			if levels > 0 {
				o["customer"] = account(100+i, 1, levels)
			}
			orders[i] = o
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"orders": orders})
	})
	e.GET("/api/v2/catalog", func(c echo.Context) error {
		n, start := 600, 0
		if f.Hard() {
			n = 20
			if v := c.QueryParam("limit"); v != "" {
				l, err := strconv.Atoi(v)
				if err != nil || l < 1 {
					return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid limit"})
				}
				n = l
				if n > 100 {
					n = 100
				}
			}
			if v := c.QueryParam("cursor"); v != "" {
				s, err := strconv.Atoi(v)
				if err != nil || s < 0 || s > 600 {
					return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid cursor"})
				}
				start = s
			}
			if start+n > 600 {
				n = 600 - start
			}
		}
		// VULNERABLE [resource.large-response]: the whole catalog (about
		// 660 KB) in every answer, no paging declared or offered.
		products := make([]product, n)
		for i := range products {
			products[i] = product{ID: start + i + 1, Name: fmt.Sprintf("product %d", start+i+1), Description: catalogText}
		}
		out := map[string]interface{}{"products": products}
		if f.Hard() && start+n < 600 {
			out["next"] = strconv.Itoa(start + n)
		}
		return c.JSON(http.StatusOK, out)
	})
	e.POST("/api/v2/subscriptions", func(c echo.Context) error {
		if f.Hard() {
			// The type the spec declares and nothing else: Echo's own
			// 415 (echo.ErrUnsupportedMediaType) before the binder.
			mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
			if err != nil || mt != echo.MIMEApplicationJSON {
				return echo.ErrUnsupportedMediaType
			}
		}
		// VULNERABLE [inputval.content-type-confusion] (--active): c.Bind
		// is Echo's DefaultBinder, which decodes a body by its
		// Content-Type: JSON, XML and forms (415 for anything else, such
		// as text/plain), so an urlencoded form, which the spec does not
		// declare, registers a callback like the JSON does.
		var sub subscription
		if err := c.Bind(&sub); err != nil {
			return err
		}
		if sub.CallbackURL == "" {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "callbackUrl is required"})
		}
		return c.JSON(http.StatusCreated, map[string]string{"status": "subscribed"})
	})
	labkit.Serve(f, e)
}

// A subscription as the spec describes it (the tags name it for each
// type Echo's binder decodes).
type subscription struct {
	CallbackURL string `json:"callbackUrl" form:"callbackUrl" xml:"callbackUrl"`
}

type product struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// About 1 KB of plain catalog text per product.
var catalogText = strings.Repeat("A sturdy lamp for the lab shop, made of oak and linen. ", 19)

// An account and, below the deepest level, the two accounts related to
// it: each level doubles what an answer holds.
func account(id, level, levels int) map[string]interface{} {
	a := map[string]interface{}{"id": id, "name": fmt.Sprintf("account %d", id), "tier": "standard"}
	if level < levels {
		a["related"] = []interface{}{account(id*2, level+1, levels), account(id*2+1, level+1, levels)}
	}
	return a
}
