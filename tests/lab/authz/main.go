// Lab service "authz": an Echo v4 shop API with two real users (golang-jwt
// v4, HS256 with a random secret, aud/iss/exp), for the authorization and
// data-exposure checks (issue 14; tests/integ/test_authz.py).
//
// Users: alice (id 1, scope "read write admin": the main identity) and bob
// (id 2, scope "read": the --as2 identity); carol, dave and erin exist
// too. Tokens are minted at start and written to -token-out and
// -token-as2-out; the same users' API keys (X-API-Key) to -key-out and
// -key-as2-out.
//
// -mode vuln, one flaw per route (the rule each must raise):
//   GET /api/v1/status (public)     a database URL with its password      [data.db-url-password]
//   GET /api/v1/billing             a full card number, an IBAN, a CPF    [data.card-number, data.iban,
//                                                                          data.national-id]
//   GET /api/v1/integrations        an AWS key id, a GitHub token, a PEM
//                                   private key, a webhook secret         [data.cloud-credential, data.private-key,
//                                                                          property.secret-field]
//   GET /api/v1/users               every user's e-mail and phone         [data.pii-bulk, data.other-user-email]
//   GET /api/v1/team                the caller's own address, a support
//                                   address and two colleagues'           [data.other-user-email]
//   GET /api/v1/sessions            other users' session JWTs             [data.jwt-other-subject]
//   GET /api/v1/me                  bcrypt hash, internal_notes           [property.password-hash, property.internal-field]
//   PATCH /api/v1/me                binds every property (role, is_admin) [property.mass-assignment] (--active)
//   GET /api/v1/orders/{id}         no owner check, sequential ids        [bola.object-read-by-other,
//                                                                          bola.adjacent-object, bola.sequential-ids]
//   PATCH /api/v1/orders/{id}       no owner check                        [bola.object-write-by-other] (--active)
//   GET /api/v1/reports/finance       tagged admin, any logged-in user      [bfla.admin-route]
//   GET /api/v1/admin/audit         any logged-in user                    [bfla.admin-route with API keys,
//                                                                          bfla.scope-not-enforced with JWTs]
//   GET /api/v1/internal (not in the spec) answers any logged-in user    [bfla.undocumented-route]
//   PUT /api/v1/settings/site      GET refused to bob, PUT allowed       [bfla.method-gap] (--active)
//   POST /api/v1/orders, PATCH /api/v1/me decode any body type as JSON    [inputval.content-type-confusion] (--active)
// -mode hard is the fixed twin: no secret, card, IBAN or hash in any
// answer, users without contact data, sessions without tokens, owner
// checks (404), random (UUID) order ids, a scope check on every staff
// route and method, unknown properties ignored, no /internal/ route, and
// writes whose body is not application/json answered 415.
//
// POST /__reset (not in the spec) puts the data back as at start, so a
// test's --active run never depends on another's; GET /__stats counts the
// requests to the index's logout link (a scanner must never follow it).
//
// -no-spec (instances authz-nospec-vuln, authz-nospec-hard): no
// /openapi.json; GET / answers an index of links (orders, products, me,
// logout) as API roots do, for BOLA without a spec: warden must find the
// order list from the links and derive /api/v1/orders/{id} from its ids.
// GET /api/v1/products (both modes, in no spec) lists public products:
// the same objects to anyone, never a BOLA finding.
// See tests/lab/CONTRACT.md.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
	"warden.lab/labkit"

	"github.com/golang-jwt/jwt/v4"
	"github.com/labstack/echo/v4"
)

var (
	tokenOut    = flag.String("token-out", "", "write the main (admin) token here")
	tokenAs2Out = flag.String("token-as2-out", "", "write the low-privilege token here")
	keyOut      = flag.String("key-out", "", "write alice's API key here")
	keyAs2Out   = flag.String("key-as2-out", "", "write bob's API key here")
	noSpec      = flag.Bool("no-spec", false, "serve no spec; GET / answers an index of links instead")
)

const (
	audience = "warden-lab"
	issuer   = "https://auth.lab.invalid/"
)

type user struct {
	ID       int    `json:"id"`
	Name     string `json:"username"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Scope    string `json:"-"`
	Role     string `json:"role"`
	IsAdmin  bool   `json:"is_admin"`
	Hash     string `json:"password_hash"`
	Internal string `json:"internal_notes"`
}

type order struct {
	ID      string `json:"id"`
	OwnerID int    `json:"owner_id"`
	Item    string `json:"item"`
	Total   int    `json:"total"`
	Address string `json:"ship_to"`
}

type store struct {
	mu      sync.Mutex
	logouts int
	hard   bool
	keys   map[string]string // API key -> user name
	users  map[string]*user
	orders []*order
	next   int
}

func newID(hard bool, n int) string {
	if !hard {
		return fmt.Sprint(n)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		log.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := []string{"alice", "bob", "carol", "dave", "erin"}
	s.users = map[string]*user{}
	for i, n := range names {
		u := &user{ID: i + 1, Name: n, Email: n + "@lab.invalid",
			Phone: fmt.Sprintf("+44 20 7946 %04d", 100+i), Scope: "read", Role: "user",
			Hash:     "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
			Internal: "fraud-score=0." + fmt.Sprint(i+1)}
		if n == "alice" {
			u.Scope, u.Role, u.IsAdmin = "read write admin", "admin", true
		}
		s.users[n] = u
	}
	// Orders in the order they were placed: alice's and bob's interleave.
	owners := []int{1, 2, 1, 3, 2, 4}
	items := []string{"lamp", "desk", "chair", "rug", "shelf", "sofa"}
	s.orders = nil
	for i, o := range owners {
		s.orders = append(s.orders, &order{ID: newID(s.hard, 1001+i), OwnerID: o, Item: items[i],
			Total: 40 + 10*i, Address: fmt.Sprintf("%d Lab Street", 10+i)})
	}
	s.next = 1001 + len(owners)
}

func (s *store) order(id string) *order {
	for _, o := range s.orders {
		if o.ID == id {
			return o
		}
	}
	return nil
}

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: authz", "version": "1.0.0"},
  "paths": {
    "/api/v1/status": {"get": {"operationId": "status", "security": [],
      "responses": {"200": {"description": "status"}}}},
    "/api/v1/products/{id}": {"get": {"operationId": "getProduct", "security": [],
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "responses": {"200": {"description": "a product"}}}},
    "/api/v1/me": {
      "get": {"operationId": "getMe", "responses": {"200": {"description": "the caller",
        "content": {"application/json": {"schema": {"type": "object", "properties": {
          "id": {"type": "integer"}, "username": {"type": "string"}, "email": {"type": "string"}}}}}}}},
      "patch": {"operationId": "updateMe", "requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"email": {"type": "string", "format": "email"}}}}}},
        "responses": {"200": {"description": "updated"}}}
    },
    "/api/v1/users": {"get": {"operationId": "listUsers", "responses": {"200": {"description": "users"}}}},
    "/api/v1/team": {"get": {"operationId": "myTeam", "responses": {"200": {"description": "the caller's team"}}}},
    "/api/v1/billing": {"get": {"operationId": "getBilling", "responses": {"200": {"description": "billing"}}}},
    "/api/v1/integrations": {"get": {"operationId": "getIntegrations", "responses": {"200": {"description": "integrations"}}}},
    "/api/v1/sessions": {"get": {"operationId": "listSessions", "responses": {"200": {"description": "sessions"}}}},
    "/api/v1/orders": {
      "get": {"operationId": "listOrders", "responses": {"200": {"description": "the caller's orders"}}},
      "post": {"operationId": "createOrder", "requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"item": {"type": "string", "example": "lamp"}}}}}},
        "responses": {"201": {"description": "created"}}}
    },
    "/api/v1/orders/{orderId}": {
      "parameters": [{"name": "orderId", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {"operationId": "getOrder", "responses": {"200": {"description": "an order"}, "404": {"description": "not found"}}},
      "patch": {"operationId": "updateOrder", "requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"item": {"type": "string"}}}}}},
        "responses": {"200": {"description": "updated"}, "404": {"description": "not found"}}}
    },
    "/api/v1/reports/finance": {"get": {"operationId": "adminFinanceReport", "tags": ["admin"],
      "responses": {"200": {"description": "reports"}, "403": {"description": "admins only"}}}},
    "/api/v1/admin/audit": {"get": {"operationId": "auditLog",
      "responses": {"200": {"description": "audit events"}, "403": {"description": "admins only"}}}},
    "/api/v1/settings/site": {
      "get": {"operationId": "adminGetSettings", "tags": ["admin"], "responses": {"200": {"description": "settings"}, "403": {"description": "admins only"}}},
      "put": {"operationId": "adminPutSettings", "tags": ["admin"], "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "saved"}, "403": {"description": "admins only"}}}
    }
  },
  "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
  "security": [{"bearerAuth": []}]
}`

func sign(secret []byte, claims jwt.MapClaims) string {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		log.Fatal(err)
	}
	return s
}

func claimsFor(u *user, ttl int64) jwt.MapClaims {
	now := time.Now().Unix()
	return jwt.MapClaims{"sub": u.Name, "scope": u.Scope, "aud": audience, "iss": issuer,
		"iat": now, "exp": now + ttl}
}

func unauthorized(c echo.Context) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	return c.JSON(http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
}

func forbidden(c echo.Context) error {
	return c.JSON(http.StatusForbidden, map[string]string{"error": "admins only"})
}

func notFound(c echo.Context) error {
	return c.JSON(http.StatusNotFound, map[string]string{"error": "not found"})
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

// authJWT is the same verification in both modes (the flaws here are
// about authorization, not authentication): HS256 only, aud, iss, exp.
func authJWT(secret []byte, st *store) echo.MiddlewareFunc {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if k := c.Request().Header.Get("X-API-Key"); k != "" {
				// API keys (the same users): -key-out, -key-as2-out.
				st.mu.Lock()
				u := st.users[st.keys[k]]
				st.mu.Unlock()
				if u == nil {
					return unauthorized(c)
				}
				c.Set("claims", jwt.MapClaims{"sub": u.Name, "scope": u.Scope})
				c.Set("user", u)
				return next(c)
			}
			h := c.Request().Header.Get("Authorization")
			if !strings.HasPrefix(h, "Bearer ") {
				return unauthorized(c)
			}
			cl := jwt.MapClaims{}
			tok, err := parser.ParseWithClaims(strings.TrimPrefix(h, "Bearer "), cl,
				func(t *jwt.Token) (interface{}, error) { return secret, nil })
			now := time.Now().Unix()
			if err != nil || !tok.Valid || !cl.VerifyAudience(audience, true) ||
				!cl.VerifyIssuer(issuer, true) || !cl.VerifyExpiresAt(now, true) {
				return unauthorized(c)
			}
			sub, _ := cl["sub"].(string)
			st.mu.Lock()
			u := st.users[sub]
			st.mu.Unlock()
			if u == nil {
				return unauthorized(c)
			}
			c.Set("claims", cl)
			c.Set("user", u)
			return next(c)
		}
	}
}

func main() {
	f := labkit.ParseFlags()
	hard := f.Hard()
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		log.Fatal(err)
	}
	st := &store{hard: hard}
	st.reset()
	labkit.WriteAtomic(*tokenOut, sign(secret, claimsFor(st.users["alice"], 3600))+"\n")
	labkit.WriteAtomic(*tokenAs2Out, sign(secret, claimsFor(st.users["bob"], 3600))+"\n")
	st.keys = map[string]string{}
	for i, n := range []string{"alice", "bob"} {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			log.Fatal(err)
		}
		k := "ak-" + hex.EncodeToString(b)
		st.keys[k] = n
		labkit.WriteAtomic([]string{*keyOut, *keyAs2Out}[i], k+"\n")
	}
	// A real private key, made at start (what a leaked deploy key looks like).
	_, pk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(pk)
	if err != nil {
		log.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	if hard {
		// The writes take the type the spec declares and nothing else:
		// a body whose Content-Type is not application/json is answered
		// with Echo's own 415 (echo.ErrUnsupportedMediaType), before the
		// handlers' json.Decoder, which would parse any type (the
		// vulnerable instance's text/plain and form bodies are decoded
		// or ignored: [inputval.content-type-confusion] with --active).
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				r := c.Request()
				if r.ContentLength != 0 && (r.Method == http.MethodPost || r.Method == http.MethodPut ||
					r.Method == http.MethodPatch) {
					mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
					if err != nil || mt != echo.MIMEApplicationJSON {
						return echo.ErrUnsupportedMediaType
					}
				}
				return next(c)
			}
		})
	}
	if !*noSpec {
		e.GET("/openapi.json", func(c echo.Context) error {
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, []byte(openAPI))
		})
	} else {
		e.GET("/", func(c echo.Context) error {
			return c.JSON(http.StatusOK, map[string]interface{}{"service": "shop",
				"links": map[string]string{"orders": "/api/v1/orders", "products": "/api/v1/products",
					"me": "/api/v1/me", "logout": "/api/v1/session/logout"}})
		})
	}
	e.GET("/__stats", func(c echo.Context) error {
		st.mu.Lock()
		defer st.mu.Unlock()
		return c.JSON(http.StatusOK, map[string]int{"logout": st.logouts})
	})
	e.GET("/api/v1/session/logout", func(c echo.Context) error {
		st.mu.Lock()
		st.logouts++
		st.mu.Unlock()
		return c.JSON(http.StatusOK, map[string]string{"status": "logged out"})
	})
	e.POST("/__reset", func(c echo.Context) error {
		st.reset()
		return c.NoContent(http.StatusNoContent)
	})
	getHead := []string{http.MethodGet, http.MethodHead}

	e.Match(getHead, "/api/v1/status", func(c echo.Context) error {
		if hard {
			return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "up"})
		}
		// VULNERABLE [data.db-url-password], on a public route.
		return c.JSON(http.StatusOK, map[string]string{"status": "ok",
			"database": "postgres://shop:Sh0p-Pa55-lab-7731@db.internal:5432/shop"})
	})
	e.Match(getHead, "/api/v1/products", func(c echo.Context) error {
		// Public objects, listed: the same list to anyone.
		return c.JSON(http.StatusOK, []map[string]interface{}{{"id": 1, "name": "lamp", "price": 40},
			{"id": 2, "name": "desk", "price": 50}, {"id": 3, "name": "chair", "price": 60}})
	})
	e.Match(getHead, "/api/v1/products/:id", func(c echo.Context) error {
		// Public objects: the same answer to anyone (never a BOLA finding).
		return c.JSON(http.StatusOK, map[string]interface{}{"id": c.Param("id"), "name": "lamp", "price": 40})
	})

	v1 := e.Group("/api/v1", authJWT(secret, st))
	me := func(c echo.Context) *user { return c.Get("user").(*user) }

	v1.Match(getHead, "/me", func(c echo.Context) error {
		u := me(c)
		st.mu.Lock()
		defer st.mu.Unlock()
		if hard {
			return c.JSON(http.StatusOK, map[string]interface{}{"id": u.ID, "username": u.Name, "email": u.Email})
		}
		// VULNERABLE [property.password-hash, property.internal-field]: the
		// whole record, hash and flags included.
		return c.JSON(http.StatusOK, u)
	})
	v1.PATCH("/me", func(c echo.Context) error {
		u := me(c)
		var in map[string]interface{}
		if err := json.NewDecoder(c.Request().Body).Decode(&in); err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid JSON"})
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		if v, ok := in["email"].(string); ok && strings.Contains(v, "@") {
			u.Email = v
		}
		if !hard {
			// VULNERABLE [property.mass-assignment]: every property binds.
			if v, ok := in["role"].(string); ok {
				u.Role = v
			}
			if v, ok := in["is_admin"].(bool); ok {
				u.IsAdmin = v
			}
			return c.JSON(http.StatusOK, u)
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"id": u.ID, "username": u.Name, "email": u.Email})
	})
	v1.Match(getHead, "/users", func(c echo.Context) error {
		st.mu.Lock()
		defer st.mu.Unlock()
		var out []map[string]interface{}
		for _, n := range []string{"alice", "bob", "carol", "dave", "erin"} {
			u := st.users[n]
			if hard {
				out = append(out, map[string]interface{}{"id": u.ID, "username": u.Name})
			} else {
				// VULNERABLE [data.pii-bulk]: everyone's contact data.
				out = append(out, map[string]interface{}{"id": u.ID, "username": u.Name,
					"email": u.Email, "phone": u.Phone})
			}
		}
		return c.JSON(http.StatusOK, out)
	})
	v1.Match(getHead, "/team", func(c echo.Context) error {
		u := me(c)
		st.mu.Lock()
		defer st.mu.Unlock()
		out := map[string]interface{}{"name": "shop team", "lead": map[string]interface{}{"username": u.Name, "email": u.Email},
			"contact": "support@lab.invalid"}
		var members []map[string]interface{}
		for _, n := range []string{"bob", "carol"} {
			if n == u.Name {
				continue
			}
			m := map[string]interface{}{"username": n}
			if !hard {
				// VULNERABLE [data.other-user-email]: two colleagues'
				// addresses (fewer than data.pii-bulk's three).
				m["email"] = st.users[n].Email
			}
			members = append(members, m)
		}
		out["members"] = members
		return c.JSON(http.StatusOK, out)
	})
	v1.Match(getHead, "/billing", func(c echo.Context) error {
		if hard {
			return c.JSON(http.StatusOK, map[string]string{"card": "visa ending 1111", "account": "GB** **** 5432",
				"tax_id": "***.***.***-25"})
		}
		// VULNERABLE [data.card-number, data.iban, data.national-id]: the
		// PSP's test card, the documented example IBAN and the Receita
		// Federal's example CPF (a Brazilian taxpayer id), in full.
		return c.JSON(http.StatusOK, map[string]string{"card_number": "4111 1111 1111 1111",
			"expiry": "12/29", "iban": "GB82 WEST 1234 5698 7654 32", "tax_id": "529.982.247-25"})
	})
	v1.Match(getHead, "/integrations", func(c echo.Context) error {
		if hard {
			return c.JSON(http.StatusOK, map[string]string{"aws": "configured", "github": "configured"})
		}
		// VULNERABLE [data.cloud-credential, data.private-key], and
		// [property.secret-field]: a webhook signing secret by its name.
		return c.JSON(http.StatusOK, map[string]string{"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
			"webhook_secret": "whsec-lab-5Qm2Lp9Xz7",
			"github": "ghp_" + strings.Repeat("aB3dE5fG7h", 3) + "K9mN0p",
			"deploy_key": pemKey})
	})
	v1.Match(getHead, "/sessions", func(c echo.Context) error {
		u := me(c)
		if hard {
			return c.JSON(http.StatusOK, []map[string]interface{}{{"id": "s-" + u.Name, "user": u.Name, "active": true}})
		}
		// VULNERABLE [data.jwt-other-subject]: every live session, with
		// the token each user was issued.
		st.mu.Lock()
		var out []map[string]interface{}
		for _, n := range []string{"carol", "dave"} {
			out = append(out, map[string]interface{}{"user": n, "token": sign(secret, claimsFor(st.users[n], 600))})
		}
		st.mu.Unlock()
		return c.JSON(http.StatusOK, out)
	})
	v1.Match(getHead, "/orders", func(c echo.Context) error {
		u := me(c)
		st.mu.Lock()
		defer st.mu.Unlock()
		out := []*order{}
		for _, o := range st.orders {
			if o.OwnerID == u.ID {
				out = append(out, o)
			}
		}
		return c.JSON(http.StatusOK, out)
	})
	v1.POST("/orders", func(c echo.Context) error {
		u := me(c)
		var in map[string]interface{}
		json.NewDecoder(c.Request().Body).Decode(&in)
		item, _ := in["item"].(string)
		if item == "" {
			item = "lamp"
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		if len(st.orders) > 200 {
			return c.JSON(http.StatusTooManyRequests, map[string]string{"error": "too many orders"})
		}
		o := &order{ID: newID(hard, st.next), OwnerID: u.ID, Item: item, Total: 40, Address: "1 Lab Street"}
		st.next++
		st.orders = append(st.orders, o)
		return c.JSON(http.StatusCreated, o)
	})
	orderFor := func(c echo.Context) (*order, bool) {
		o := st.order(c.Param("orderId"))
		if o == nil {
			return nil, false
		}
		// VULNERABLE [bola.*] in vuln mode: no owner check.
		if hard && o.OwnerID != me(c).ID {
			return nil, false
		}
		return o, true
	}
	v1.Match(getHead, "/orders/:orderId", func(c echo.Context) error {
		st.mu.Lock()
		defer st.mu.Unlock()
		o, ok := orderFor(c)
		if !ok {
			return notFound(c)
		}
		return c.JSON(http.StatusOK, o)
	})
	v1.PATCH("/orders/:orderId", func(c echo.Context) error {
		var in map[string]interface{}
		json.NewDecoder(c.Request().Body).Decode(&in)
		st.mu.Lock()
		defer st.mu.Unlock()
		o, ok := orderFor(c)
		if !ok {
			return notFound(c)
		}
		if v, ok := in["item"].(string); ok && v != "" {
			o.Item = v
		}
		return c.JSON(http.StatusOK, o)
	})
	admin := func(c echo.Context) bool {
		return hasScope(c.Get("claims").(jwt.MapClaims), "admin")
	}
	v1.Match(getHead, "/reports/finance", func(c echo.Context) error {
		// VULNERABLE [bfla.admin-route] in vuln mode: no scope check.
		if hard && !admin(c) {
			return forbidden(c)
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"revenue": 12345, "refunds": 7})
	})
	v1.Match(getHead, "/admin/audit", func(c echo.Context) error {
		// VULNERABLE [bfla.admin-route; bfla.scope-not-enforced under a
		// JWT] in vuln mode: no role check on an admin-named route.
		if hard && !admin(c) {
			return forbidden(c)
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"events": []string{"login alice", "refund 1003"}})
	})
	v1.Match(getHead, "/settings/site", func(c echo.Context) error {
		if !admin(c) {
			return forbidden(c)
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"maintenance": false})
	})
	v1.PUT("/settings/site", func(c echo.Context) error {
		// VULNERABLE [bfla.method-gap] in vuln mode: only GET checks.
		if hard && !admin(c) {
			return forbidden(c)
		}
		return c.JSON(http.StatusOK, map[string]interface{}{"maintenance": false, "saved": true})
	})
	if !hard {
		// VULNERABLE [bfla.undocumented-route]: a forgotten internal
		// console, in no spec, open to any logged-in user.
		v1.Match(getHead, "/internal", func(c echo.Context) error {
			return c.JSON(http.StatusOK, map[string]interface{}{"feature_flags": map[string]bool{"beta": true},
				"queue_depth": 3, "console": "internal"})
		})
	}
	labkit.Serve(f, e)
}
