// Lab service "abuse": the OWASP API4 (resource consumption), API9
// (inventory) and API10 (unsafe consumption) patterns on labstack/echo v4.
// -mode vuln: no rate limiter anywhere (a read route and the login route
// answer any number of requests), a list route that honours any ?limit=,
// version 1 still served next to the spec's version 2, a spec route that
// is not served and non-production servers in the spec, an upstream's
// error page relayed inside JSON, upstream headers and a Via chain, a
// redirect to another host, a log list without paging (5000 entries, no
// paging parameter in the spec), a page-size parameter without a maximum,
// a deprecated operation still served. -mode hard: Echo's own middleware.RateLimiter
// (golang.org/x/time/rate token buckets, keyed by client IP and request
// path, 2 per second with a burst of 10) answering 429 with Retry-After
// and RateLimit headers, the page size capped at 100 (declared as the
// maximum in the spec, the log list paged the same way), only version 2,
// the deprecated operation answering 410 Gone, a spec that matches what runs,
// and none of the relayed content. See tests/lab/CONTRACT.md.
package main

import (
	"fmt"
	"net/http"
	"strconv"
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
	if hard {
		servers, maxLimit = `"servers": [{"url": "/"}, {"url": "https://api.shop.example/"}],`, `, "maximum": 100`
		tooMany = `, "429": {"description": "too many requests"}`
		logsParams = `"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],`
	} else {
		reports = `"/api/v2/reports": {"get": {"operationId": "listReports", "summary": "Reports",
              "responses": {"200": {"description": "reports"}}}},`
	}
	return `{
  "openapi": "3.0.3",
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
    }
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
		// Echo's rate limiter: a token bucket per client IP and path, so a
		// scan's single requests pass and a burst on one route meets 429.
		const perSecond, burst = 2, 10
		e.Use(middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
			Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
				Rate: perSecond, Burst: burst, ExpiresIn: time.Minute,
			}),
			IdentifierExtractor: func(c echo.Context) (string, error) {
				return c.RealIP() + " " + c.Request().URL.Path, nil
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
	labkit.Serve(f, e)
}
