// Lab service "echojwt": models the Echo seed's Bearer tokens (labstack/echo
// v4 + golang-jwt v4). -mode vuln reproduces the seed's mistakes:
//   - the JWT middleware's keyfunc never checks the signing method and even
//     allows alg "none"; it skips claim validation (no exp required, no
//     aud/iss check) and the HS256 secret is a guessable word ("changeme");
//   - it also takes the token from ?token= when the header is absent;
//   - a legacy group (/api/v2/legacy) uses the claims whenever the token
//     parses, even when the signature did not verify (token != nil);
//   - the admin route ignores the scope claim (the seed's AdminHandler);
//   - SafeFileHandler checks strings.HasPrefix on the joined, uncleaned path,
//     so ../ escapes the allowed directory.
//
// -mode hard is the fixed twin: HS256 only (WithValidMethods and a method
// check), aud/iss/exp required, a random 32-byte secret, header-only
// tokens, admin needs scope "admin", filepath.Clean + filepath.Rel.
//
// Tokens: the service mints its own and writes them to -token-out (an admin
// user: scope "read write admin") and -token-as2-out (a low-privilege user:
// scope "read") before it listens; hard mode rewrites them every 10 minutes.
//
// Files: the service's "container filesystem" is the directory -root (the lab
// creates it): /srv/files is served, and <root>/etc/passwd and
// <root>/proc/self/environ are fixtures. Every path is resolved inside -root,
// so a traversal reads the fixtures, never a file of the host.
// See tests/lab/CONTRACT.md.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"warden.lab/labkit"

	"github.com/golang-jwt/jwt/v4"
	"github.com/labstack/echo/v4"
)

var (
	tokenOut    = flag.String("token-out", "", "write the main (admin) token here")
	tokenAs2Out = flag.String("token-as2-out", "", "write the low-privilege token here")
	rootDir     = flag.String("root", "", "the service's filesystem root (created with fixtures); default: a temp dir")
	hardSecret  = flag.String("jwt-secret", "", "hard mode: HS256 secret (default: 32 random bytes)")
)

const (
	vulnSecret = "changeme" // VULNERABLE [jwt.weak-secret]
	audience   = "warden-lab"
	issuer     = "https://auth.lab.invalid/"
	allowedDir = "/srv/files"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: echojwt", "version": "2.0.1"},
  "paths": {
    "/api/v1/profile": {"get": {"operationId": "profile", "responses": {"200": {"description": "the caller"}, "401": {"description": "unauthorized"}}}},
    "/api/v1/admin/stats": {"get": {"operationId": "adminStats", "responses": {"200": {"description": "stats"}, "403": {"description": "scope admin required"}}}},
    "/api/v1/files/{file}": {"get": {"operationId": "getFile",
      "parameters": [{"name": "file", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "file"}, "404": {"description": "not found"}}}},
    "/api/v1/download": {"get": {"operationId": "download",
      "parameters": [{"name": "name", "in": "query", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "file"}, "404": {"description": "not found"}}}},
    "/api/v2/legacy/report": {"get": {"operationId": "legacyReport", "responses": {"200": {"description": "report"}, "401": {"description": "unauthorized"}}}}
  },
  "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
  "security": [{"bearerAuth": []}]
}`

func main() {
	f := labkit.ParseFlags()
	root := prepareRoot()
	secret := []byte(vulnSecret)
	if f.Hard() {
		secret = []byte(*hardSecret)
		if len(secret) == 0 {
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				log.Fatal(err)
			}
			secret = []byte(hex.EncodeToString(b))
		}
	}
	writeTokens(f, secret)
	if f.Hard() {
		go func() {
			for range time.Tick(10 * time.Minute) {
				writeTokens(f, secret)
			}
		}()
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, []byte(openAPI))
	})
	getHead := []string{http.MethodGet, http.MethodHead}

	var v1, v2 *echo.Group
	if !f.Hard() {
		v1 = e.Group("/api/v1", vulnJWT(secret))
		v2 = e.Group("/api/v2/legacy", legacyJWT(secret))
	} else {
		v1 = e.Group("/api/v1", hardJWT(secret))
		v2 = e.Group("/api/v2/legacy", hardJWT(secret))
	}
	v1.Match(getHead, "/profile", func(c echo.Context) error {
		cl := c.Get("claims").(jwt.MapClaims)
		return c.JSON(http.StatusOK, map[string]interface{}{"sub": cl["sub"], "scope": cl["scope"]})
	})
	v1.Match(getHead, "/admin/stats", func(c echo.Context) error {
		if f.Hard() && !hasScope(c.Get("claims").(jwt.MapClaims), "admin") {
			return c.JSON(http.StatusForbidden, map[string]string{"error": "insufficient scope"})
		}
		// VULNERABLE [bfla.scope-not-enforced] in vuln mode: no scope check.
		return c.JSON(http.StatusOK, map[string]interface{}{"users": 3, "containers": 7, "action": "admin stats"})
	})
	files := func(name string) echo.HandlerFunc {
		return func(c echo.Context) error {
			var p string
			if name == "*" {
				p = c.Param("*")
			} else {
				p = c.QueryParam(name)
			}
			return serveFile(c, f.Hard(), root, p)
		}
	}
	v1.Match(getHead, "/files/*", files("*"))
	v1.Match(getHead, "/download", files("name"))
	v2.Match(getHead, "/report", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"report": "quarterly", "rows": 42})
	})
	labkit.Serve(f, e)
}

// ---- tokens ----------------------------------------------------------------

func sign(secret []byte, claims jwt.MapClaims) string {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		log.Fatal(err)
	}
	return s
}

func writeTokens(f labkit.Flags, secret []byte) {
	now := time.Now().Unix()
	var main, low jwt.MapClaims
	if !f.Hard() {
		// VULNERABLE [jwt.no-exp, jwt.sensitive-claims]: no exp, an e-mail and
		// a password in the payload; [jwt.long-lifetime]: a year for the second.
		main = jwt.MapClaims{"sub": "alice", "scope": "read write admin", "email": "alice@example.com",
			"db_password": "s3cr3t-pass", "iat": now}
		low = jwt.MapClaims{"sub": "bob", "scope": "read", "iat": now, "exp": now + 365*24*3600}
	} else {
		main = jwt.MapClaims{"sub": "alice", "scope": "read write admin", "aud": audience, "iss": issuer,
			"iat": now, "exp": now + 3600}
		low = jwt.MapClaims{"sub": "bob", "scope": "read", "aud": audience, "iss": issuer,
			"iat": now, "exp": now + 3600}
	}
	labkit.WriteAtomic(*tokenOut, sign(secret, main)+"\n")
	labkit.WriteAtomic(*tokenAs2Out, sign(secret, low)+"\n")
}

func hasScope(cl jwt.MapClaims, want string) bool {
	s, _ := cl["scope"].(string)
	for _, w := range strings.Fields(s) {
		if w == want {
			return true
		}
	}
	return false
}

func unauthorized(c echo.Context) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	return c.JSON(http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
}

func bearer(c echo.Context) string {
	h := c.Request().Header.Get("Authorization")
	if strings.HasPrefix(h, "Bearer ") {
		return strings.TrimPrefix(h, "Bearer ")
	}
	return ""
}

// vulnJWT is the seed's middleware gone wrong.
func vulnJWT(secret []byte) echo.MiddlewareFunc {
	// VULNERABLE [jwt.exp-not-verified, aud/iss]: claims are not validated at all.
	parser := jwt.NewParser(jwt.WithoutClaimsValidation())
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			s := bearer(c)
			if s == "" {
				s = c.QueryParam("token") // VULNERABLE [jwt.token-in-query]
			}
			if s == "" {
				return unauthorized(c)
			}
			tok, err := parser.Parse(s, func(t *jwt.Token) (interface{}, error) {
				// VULNERABLE [jwt.alg-none-accepted]: no method check, and "none"
				// is let through "for the internal tools".
				if t.Method == jwt.SigningMethodNone {
					return jwt.UnsafeAllowNoneSignatureType, nil
				}
				return secret, nil
			})
			if err != nil || !tok.Valid {
				return unauthorized(c)
			}
			c.Set("claims", tok.Claims.(jwt.MapClaims))
			return next(c)
		}
	}
}

// legacyJWT uses the claims as soon as the token parses.
func legacyJWT(secret []byte) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			s := bearer(c)
			if s == "" {
				return unauthorized(c)
			}
			tok, _ := jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return secret, nil })
			// VULNERABLE [jwt.signature-not-verified]: token != nil is not token.Valid.
			if tok == nil {
				return unauthorized(c)
			}
			cl, _ := tok.Claims.(jwt.MapClaims)
			c.Set("claims", cl)
			return next(c)
		}
	}
}

func hardJWT(secret []byte) echo.MiddlewareFunc {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			s := bearer(c)
			if s == "" {
				return unauthorized(c)
			}
			cl := jwt.MapClaims{}
			tok, err := parser.ParseWithClaims(s, cl, func(t *jwt.Token) (interface{}, error) {
				if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
					return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
				}
				return secret, nil
			})
			now := time.Now().Unix()
			if err != nil || !tok.Valid || !cl.VerifyAudience(audience, true) ||
				!cl.VerifyIssuer(issuer, true) || !cl.VerifyExpiresAt(now, true) {
				return unauthorized(c)
			}
			c.Set("claims", cl)
			return next(c)
		}
	}
}

// ---- files -------------------------------------------------------------------

// prepareRoot creates the service's filesystem root with its fixtures.
func prepareRoot() string {
	root := *rootDir
	if root == "" {
		d, err := os.MkdirTemp("", "echojwt-root-")
		if err != nil {
			log.Fatal(err)
		}
		root = d
	}
	fixtures := map[string]string{
		"srv/files/readme.txt": "Quarterly reports are published here.\n",
		"etc/passwd": "root:x:0:0:root:/root:/bin/bash\n" +
			"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
			"app:x:1000:1000:app:/home/app:/bin/sh\n",
		"proc/self/environ": "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\x00" +
			"HOSTNAME=echojwt-7d9f\x00HOME=/root\x00JWT_SECRET=lab-fixture-not-real\x00",
	}
	for name, content := range fixtures {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	return root
}

// readInRoot reads a path of the service's filesystem: "/" is root, and
// nothing above it exists (as in a container).
func readInRoot(root, p string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, filepath.Clean("/"+p)))
}

func serveFile(c echo.Context, hard bool, root, filename string) error {
	if dec, err := url.PathUnescape(filename); err == nil {
		filename = dec
	}
	if !hard {
		// VULNERABLE [traversal.path]: the seed's SafeFileHandler. The prefix
		// check runs on the joined but uncleaned path, which always starts
		// with allowedDir, so "../../etc/passwd" passes and the read resolves it.
		absPath := allowedDir + "/" + filename
		if !strings.HasPrefix(absPath, allowedDir) {
			return echo.NewHTTPError(http.StatusForbidden, "access denied")
		}
		data, err := readInRoot(root, absPath)
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "file not found")
		}
		return c.Blob(http.StatusOK, "application/octet-stream", data)
	}
	abs := filepath.Join(allowedDir, filepath.Clean("/"+filename))
	rel, err := filepath.Rel(allowedDir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") || strings.Contains(filename, "\x00") {
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid path"})
	}
	data, err := readInRoot(root, abs)
	if err != nil {
		return c.JSON(http.StatusNotFound, map[string]string{"error": "file not found"})
	}
	return c.Blob(http.StatusOK, "application/octet-stream", data)
}

// ---------------------------------------------------------------------------
// Lab plumbing, identical in every Go lab service: flags, listening on the
// given address, -addr-file (written atomically once the socket is bound),
// optional TLS and the plain-HTTP redirect listener, hardened headers.
// ---------------------------------------------------------------------------
