// Lab service "echo": models the Echo seed (labstack/echo v4 REST API with
// Bearer tokens). -mode vuln reproduces the seed's mistakes: a route the spec
// declares bearerAuth but that never checks it, a recovered panic printed to
// the client, an internal DB address in an error, a Docker Engine API answer
// relayed verbatim, and expvar left mounted. -mode hard is the fixed twin.
// See tests/lab/CONTRACT.md.
package main

import (
	"crypto/subtle"
	"expvar"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"warden.lab/labkit"

	"github.com/labstack/echo/v4"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: echo", "version": "1.4.2"},
  "paths": {
    "/api/v1/users": {
      "get": {"operationId": "listUsers", "summary": "List users",
              "responses": {"200": {"description": "users"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/items/{id}": {
      "get": {"operationId": "getItem", "summary": "Get one item", "security": [],
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
              "responses": {"200": {"description": "item"}, "400": {"description": "invalid id"}}}
    },
    "/api/v1/db/health": {
      "get": {"operationId": "dbHealth", "summary": "Database health", "security": [],
              "responses": {"200": {"description": "up"}, "503": {"description": "down"}}}
    },
    "/api/v1/docker/version": {
      "get": {"operationId": "dockerVersion", "summary": "Container engine version",
              "responses": {"200": {"description": "version"}, "401": {"description": "unauthorized"}}}
    }
  },
  "components": {
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
  },
  "security": [{"bearerAuth": []}]
}`

// What the Docker Engine API answers to GET /version (docker 24.0.5).
const dockerVersion = `{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"24.0.5","Details":{"ApiVersion":"1.43","Arch":"amd64","BuildTime":"2023-07-21T20:35:23.000000000+00:00","Experimental":"false","GitCommit":"a61e2b4","GoVersion":"go1.20.6","KernelVersion":"5.15.0-78-generic","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.22","Details":{"GitCommit":"8165feabfdfe38c65b599c4993d227328c231fca"}},{"Name":"runc","Version":"1.1.8","Details":{"GitCommit":"v1.1.8-0-g82f18fe"}},{"Name":"docker-init","Version":"0.19.0","Details":{"GitCommit":"de40ad0"}}],"Version":"24.0.5","ApiVersion":"1.43","MinAPIVersion":"1.12","GitCommit":"a61e2b4","GoVersion":"go1.20.6","Os":"linux","Arch":"amd64","KernelVersion":"5.15.0-78-generic","BuildTime":"2023-07-21T20:35:23.000000000+00:00"}
`

type user struct {
	ID       int    `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Role     string `json:"role"`
}

var users = []user{
	{1, "alice", "alice@example.com", "admin"},
	{2, "bob", "bob@example.com", "user"},
	{3, "carol", "carol@example.com", "user"},
}

func main() {
	f := labkit.ParseFlags()
	token := os.Getenv("LAB_TOKEN")
	if token == "" {
		token = "lab-token-echo"
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true

	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, []byte(openAPI))
	})

	listUsers := func(c echo.Context) error { return c.JSON(http.StatusOK, users) }
	dockerVer := func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, []byte(dockerVersion))
	}
	getHead := []string{http.MethodGet, http.MethodHead}

	if !f.Hard() {
		// VULNERABLE [auth.no-auth]: the spec declares bearerAuth for /users and
		// /docker/version, but the JWT middleware was never attached to them.
		e.Match(getHead, "/api/v1/users", listUsers)
		e.Match(getHead, "/api/v1/docker/version", dockerVer) // VULNERABLE [container.docker-api-response]: the engine's /version JSON relayed as is

		e.Match(getHead, "/api/v1/items/:id", func(c echo.Context) error {
			id, err := strconv.Atoi(c.Param("id"))
			if err != nil {
				// VULNERABLE [leak.stack-trace]: a recovered panic is written to the
				// client verbatim, goroutine trace and source paths included.
				return c.String(http.StatusInternalServerError, fakePanic(err))
			}
			return c.JSON(http.StatusOK, map[string]interface{}{"id": id, "name": fmt.Sprintf("Widget %d", id), "price": 9.99})
		})
		e.Match(getHead, "/api/v1/db/health", func(c echo.Context) error {
			// VULNERABLE [leak.internal-ip]: the raw driver error exposes the
			// database's private address.
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "dial tcp 10.0.3.7:5432: connect: connection refused"})
		})
		// VULNERABLE [endpoint.expvar]: expvar (cmdline, memstats) left mounted.
		e.GET("/debug/vars", echo.WrapHandler(expvar.Handler()))
	} else {
		// Bearer check for the routes the spec marks secured; it answers every
		// method (GET, HEAD, OPTIONS) with 401 when the token is missing.
		bearer := func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				h := c.Request().Header.Get("Authorization")
				got := strings.TrimPrefix(h, "Bearer ")
				if !strings.HasPrefix(h, "Bearer ") || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
					c.Response().Header().Set("WWW-Authenticate", `Bearer realm="api"`)
					return c.JSON(http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
				}
				return next(c)
			}
		}
		options := func(c echo.Context) error {
			c.Response().Header().Set("Allow", "GET, HEAD, OPTIONS")
			return c.NoContent(http.StatusNoContent)
		}
		secured := e.Group("/api/v1", bearer)
		secured.Match(getHead, "/users", listUsers)
		secured.OPTIONS("/users", options)
		secured.Match(getHead, "/docker/version", func(c echo.Context) error {
			return c.JSON(http.StatusOK, map[string]string{"engine": "24.0.5"})
		})
		secured.OPTIONS("/docker/version", options)

		e.Match(getHead, "/api/v1/items/:id", func(c echo.Context) error {
			id, err := strconv.Atoi(c.Param("id"))
			if err != nil {
				return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid id"})
			}
			return c.JSON(http.StatusOK, map[string]interface{}{"id": id, "name": fmt.Sprintf("Widget %d", id), "price": 9.99})
		})
		e.Match(getHead, "/api/v1/db/health", func(c echo.Context) error {
			log.Printf("db health: dial tcp 10.0.3.7:5432: connect: connection refused") // detail stays in the log
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "database unavailable"})
		})
	}

	labkit.Serve(f, e)
}

// fakePanic renders what the seed's recover middleware sent back: the panic
// value and a goroutine dump.
func fakePanic(err error) string {
	return "panic: " + err.Error() + "\n\n" +
		"goroutine 42 [running]:\n" +
		"main.itemHandler({0x7f3a2c1b8f28, 0xc0001a6000})\n" +
		"\t/app/main.go:87 +0x1d\n" +
		"github.com/labstack/echo/v4.(*Echo).add.func1({0x7f3a2c1b8f28, 0xc0001a6000})\n" +
		"\t/go/pkg/mod/github.com/labstack/echo/v4@v4.2.1/echo.go:536 +0x62\n" +
		"github.com/labstack/echo/v4.(*Echo).ServeHTTP(0xc000132480, {0x9b4d20, 0xc0001b8000}, 0xc0001a4100)\n" +
		"\t/go/pkg/mod/github.com/labstack/echo/v4@v4.2.1/echo.go:646 +0x3bc\n" +
		"net/http.serverHandler.ServeHTTP({0xc0001960c0}, {0x9b4d20, 0xc0001b8000}, 0xc0001a4100)\n" +
		"\t/usr/local/go/src/net/http/server.go:2947 +0x30c\n" +
		"net/http.(*conn).serve(0xc00019a000, {0x9b5a18, 0xc000196000})\n" +
		"\t/usr/local/go/src/net/http/server.go:1991 +0x607\n" +
		"created by net/http.(*Server).Serve\n" +
		"\t/usr/local/go/src/net/http/server.go:3102 +0x4db\n"
}

// ---------------------------------------------------------------------------
// Lab plumbing, identical in every Go lab service: flags, listening on the
// given address, -addr-file (written atomically once the socket is bound),
// optional TLS and the plain-HTTP redirect listener, hardened headers.
// ---------------------------------------------------------------------------
