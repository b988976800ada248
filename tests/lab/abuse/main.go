// Lab service "abuse": the OWASP API4 (resource consumption) patterns on
// labstack/echo v4. -mode vuln: no rate limiter anywhere (a read route and
// the login route answer any number of requests), and a list route that
// honours any ?limit=. -mode hard: Echo's own middleware.RateLimiter
// (golang.org/x/time/rate token buckets, keyed by client IP and request
// path, 2 per second with a burst of 10) answering 429 with Retry-After
// and RateLimit headers, and the page size capped at 100 (declared as the
// maximum in the spec). See tests/lab/CONTRACT.md.
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

const openAPIVuln = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: abuse", "version": "2.1.0"},
  "paths": {
    "/api/v1/status": {
      "get": {"operationId": "status", "summary": "Service status",
              "responses": {"200": {"description": "status"}}}
    },
    "/api/v1/items": {
      "get": {"operationId": "listItems", "summary": "List items",
              "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
              "responses": {"200": {"description": "items"}}}
    },
    "/api/v1/login": {
      "post": {"operationId": "login", "summary": "Log in",
               "responses": {"200": {"description": "token"}, "401": {"description": "bad credentials"}}}
    }
  },
  "components": {"securitySchemes": {}},
  "security": []
}`

const openAPIHard = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: abuse", "version": "2.1.0"},
  "paths": {
    "/api/v1/status": {
      "get": {"operationId": "status", "summary": "Service status",
              "responses": {"200": {"description": "status"}, "429": {"description": "too many requests"}}}
    },
    "/api/v1/items": {
      "get": {"operationId": "listItems", "summary": "List items",
              "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
              "responses": {"200": {"description": "items"}, "429": {"description": "too many requests"}}}
    },
    "/api/v1/login": {
      "post": {"operationId": "login", "summary": "Log in",
               "responses": {"200": {"description": "token"}, "401": {"description": "bad credentials"}, "429": {"description": "too many requests"}}}
    }
  },
  "components": {"securitySchemes": {}},
  "security": []
}`

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

	spec := openAPIVuln
	if f.Hard() {
		spec = openAPIHard
	}
	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", []byte(spec))
	})
	e.GET("/api/v1/status", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/api/v1/items", func(c echo.Context) error {
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
	// The login form's description (GET) and the login itself (POST): a
	// limiter in front of the router sees both.
	e.GET("/api/v1/login", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"methods": []string{"password"}})
	})
	e.POST("/api/v1/login", func(c echo.Context) error {
		return c.JSON(http.StatusUnauthorized, map[string]string{"error": "bad credentials"})
	})
	labkit.Serve(f, e)
}
