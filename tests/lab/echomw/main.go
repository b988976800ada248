// Lab service "echomw": Echo v4's OWN authentication middleware, as a
// developer configures it, not a look-alike. Echo's middleware refuses a
// request without a credential with 400 (middleware.JWT: {"message":
// "missing or malformed jwt"}; middleware.KeyAuth: {"message":"missing key
// in request header"}), and 401 only for a credential that does not verify.
//
// -mode vuln:
//   - /api/v1 (middleware.JWTWithConfig, Echo's JWT middleware over
//     dgrijalva/jwt-go): HS256 with the secret "changeme"; the Claims type's
//     Valid() returns nil, so nothing in the payload is checked (exp, aud,
//     iss); /api/v1/admin/stats ignores the scope claim.
//   - /api/v2 (middleware.KeyAuthWithConfig reading "Authorization: Bearer",
//     the documented way to plug one's own token check into Echo): the
//     validator parses with golang-jwt v4, no claim validation, and a keyfunc
//     that returns a key for any alg, the "none" marker included.
//   - /api/k (middleware.KeyAuthWithConfig on X-API-Key): a Pre middleware
//     copies ?api_key= into the header "for legacy clients".
//   - /api/v3 (KeyAuth, RS256 tokens; the key published at
//     /.well-known/jwks.json and in /.well-known/openid-configuration): the
//     keyfunc hands the RSA key to RS256 tokens and, for HMAC tokens, the
//     key's PEM as the secret (RS256->HS256 confusion), or the file that kid
//     names under a key directory (kid path traversal); an RS256 token
//     with a jku header gets its key from the JWK Set at that URL ("keys
//     rotate; the token says where they live"), and one with x5u from the
//     certificate at that URL, no chain check.
//   - /api/v4 (KeyAuth, the same RS256 tokens): the keyfunc "warms its
//     key cache" from the token's jku and x5u before it verifies with the pinned
//     key: the token is refused, but the server fetched the URL.
//
// -mode hard: the same middleware, configured right: a random secret,
// claims whose Valid() requires exp, aud and iss, scope "admin" on the admin
// route; the /api/v2 validator pins HS256 and checks the claims; no query
// shim for keys; /api/v3 and /api/v4 pin RS256, look kid up in a map and
// never read jku.
//
// Tokens are minted at start (-token-out: scope "read write admin";
// -token-as2-out: scope "read"), both HS256, an hour long, with aud and iss,
// so the only offline finding on vuln is the weak secret. The API key is
// written to -key-out. See docs/auth.md.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"warden.lab/labkit"

	djwt "github.com/dgrijalva/jwt-go"
	jwt "github.com/golang-jwt/jwt/v4"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

var (
	tokenOut    = flag.String("token-out", "", "write the main (admin) token here")
	tokenAs2Out = flag.String("token-as2-out", "", "write the low-privilege token here")
	keyOut      = flag.String("key-out", "", "write the API key here")
	rsTokenOut  = flag.String("rs-token-out", "", "write an RS256 token (for /api/v3) here")
)

const (
	vulnSecret = "changeme" // VULNERABLE [jwt.weak-secret]
	audience   = "warden-lab"
	issuer     = "https://auth.lab.invalid/"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: echomw", "version": "1.0.0"},
  "paths": {
    "/api/v1/profile": {"get": {"operationId": "profile", "responses": {"200": {"description": "the caller"}, "400": {"description": "no token"}, "401": {"description": "bad token"}}}},
    "/api/v1/admin/stats": {"get": {"operationId": "adminStats", "responses": {"200": {"description": "stats"}, "403": {"description": "scope admin required"}}}},
    "/api/v2/account": {"get": {"operationId": "account", "responses": {"200": {"description": "the account"}, "400": {"description": "no token"}}}},
    "/api/v4/invoices": {"get": {"operationId": "invoices", "responses": {"200": {"description": "invoices"}, "400": {"description": "no token"}}}},
    "/api/v3/orders": {"get": {"operationId": "orders", "responses": {"200": {"description": "orders"}, "400": {"description": "no token"}}}},
    "/api/k/summary": {"get": {"operationId": "summary", "security": [{"apiKey": []}], "responses": {"200": {"description": "summary"}, "400": {"description": "no key"}}}}
  },
  "components": {"securitySchemes": {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
  "security": [{"bearerAuth": []}]
}`

// labClaims is what the tokens carry, read by Echo's JWT middleware.
type labClaims struct {
	djwt.StandardClaims
	Scope string `json:"scope"`
}

// laxClaims: VULNERABLE [jwt.exp-not-verified, jwt.aud-not-verified,
// jwt.iss-not-verified]: a Valid() that checks nothing (a custom claims type
// written to "silence expiry errors in tests").
type laxClaims struct{ labClaims }

func (c *laxClaims) Valid() error { return nil }

// strictClaims: exp, aud and iss required.
type strictClaims struct{ labClaims }

func (c *strictClaims) Valid() error {
	now := time.Now().Unix()
	if !c.VerifyExpiresAt(now, true) || !c.VerifyAudience(audience, true) || !c.VerifyIssuer(issuer, true) {
		return errors.New("invalid claims")
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		log.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func main() {
	f := labkit.ParseFlags()
	secret := []byte(vulnSecret)
	apiKey := "lab-key-echomw-" + randomHex(8)
	if f.Hard() {
		secret = []byte(randomHex(32))
	}
	now := time.Now().Unix()
	for _, t := range []struct {
		path, sub, scope string
	}{{*tokenOut, "alice", "read write admin"}, {*tokenAs2Out, "bob", "read"}} {
		claims := jwt.MapClaims{"sub": t.sub, "scope": t.scope, "aud": audience, "iss": issuer,
			"iat": now, "exp": now + 3600}
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
		if err != nil {
			log.Fatal(err)
		}
		labkit.WriteAtomic(t.path, s+"\n")
	}
	labkit.WriteAtomic(*keyOut, apiKey+"\n")

	// RS256: a key made at start, published as a JWKS.
	rsKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&rsKey.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	rsTok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"sub": "alice", "scope": "read write admin",
		"aud": audience, "iss": issuer, "iat": now, "exp": now + 3600})
	rsTok.Header["kid"] = rsKid
	rs, err := rsTok.SignedString(rsKey)
	if err != nil {
		log.Fatal(err)
	}
	labkit.WriteAtomic(*rsTokenOut, rs+"\n")

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	if !f.Hard() {
		// VULNERABLE [auth.key-in-query]: the key is also taken from ?api_key=.
		e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if k := c.QueryParam("api_key"); k != "" && c.Request().Header.Get("X-API-Key") == "" {
					c.Request().Header.Set("X-API-Key", k)
				}
				return next(c)
			}
		})
	}
	e.GET("/.well-known/jwks.json", func(c echo.Context) error {
		b64 := base64.RawURLEncoding
		return c.JSON(http.StatusOK, map[string]interface{}{"keys": []map[string]string{{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": rsKid,
			"n": b64.EncodeToString(rsKey.PublicKey.N.Bytes()),
			"e": b64.EncodeToString(big.NewInt(int64(rsKey.PublicKey.E)).Bytes())}}})
	})
	e.GET("/.well-known/openid-configuration", func(c echo.Context) error {
		origin := c.Scheme() + "://" + c.Request().Host
		return c.JSON(http.StatusOK, map[string]string{"issuer": issuer, "jwks_uri": origin + "/.well-known/jwks.json"})
	})
	e.GET("/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, []byte(openAPI))
	})
	getHead := []string{http.MethodGet, http.MethodHead}

	// /api/v1: Echo's JWT middleware.
	var claims djwt.Claims = &laxClaims{}
	if f.Hard() {
		claims = &strictClaims{}
	}
	v1 := e.Group("/api/v1", middleware.JWTWithConfig(middleware.JWTConfig{
		SigningKey:    secret,
		SigningMethod: middleware.AlgorithmHS256,
		Claims:        claims,
	}))
	scopeOf := func(c echo.Context) (string, string) {
		tok := c.Get("user").(*djwt.Token)
		switch cl := tok.Claims.(type) {
		case *laxClaims:
			return cl.Subject, cl.Scope
		case *strictClaims:
			return cl.Subject, cl.Scope
		}
		return "", ""
	}
	v1.Match(getHead, "/profile", func(c echo.Context) error {
		sub, scope := scopeOf(c)
		return c.JSON(http.StatusOK, map[string]string{"sub": sub, "scope": scope, "plan": "gold"})
	})
	v1.Match(getHead, "/admin/stats", func(c echo.Context) error {
		_, scope := scopeOf(c)
		if f.Hard() && !hasWord(scope, "admin") {
			return echo.NewHTTPError(http.StatusForbidden, "insufficient scope")
		}
		// VULNERABLE [bfla.scope-not-enforced] in vuln mode: no scope check.
		return c.JSON(http.StatusOK, map[string]interface{}{"users": 3, "containers": 7, "action": "admin stats"})
	})

	// /api/v2: Echo's KeyAuth middleware with a bearer-token validator.
	v2 := e.Group("/api/v2", middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		KeyLookup:  "header:" + echo.HeaderAuthorization,
		AuthScheme: "Bearer",
		Validator:  tokenValidator(f.Hard(), secret),
	}))
	v2.Match(getHead, "/account", func(c echo.Context) error {
		cl := c.Get("claims").(jwt.MapClaims)
		return c.JSON(http.StatusOK, map[string]interface{}{"sub": cl["sub"], "balance": 1250, "currency": "EUR"})
	})

	// /api/v3: RS256 tokens through Echo's KeyAuth.
	v3 := e.Group("/api/v3", middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		KeyLookup:  "header:" + echo.HeaderAuthorization,
		AuthScheme: "Bearer",
		Validator:  rsValidator(f.Hard(), &rsKey.PublicKey, pubPEM),
	}))
	v3.Match(getHead, "/orders", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"orders": []int{101, 102}, "total": 2})
	})

	// /api/v4: the same RS256 tokens, a keyfunc that fetches jku first.
	v4 := e.Group("/api/v4", middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		KeyLookup:  "header:" + echo.HeaderAuthorization,
		AuthScheme: "Bearer",
		Validator:  rsPrefetchValidator(f.Hard(), &rsKey.PublicKey),
	}))
	v4.Match(getHead, "/invoices", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"invoices": []string{"INV-7", "INV-8"}, "total": 2})
	})

	// /api/k: Echo's KeyAuth middleware on an API key header.
	k := e.Group("/api/k", middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		KeyLookup: "header:X-API-Key",
		Validator: func(key string, c echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), []byte(apiKey)) == 1, nil
		},
	}))
	k.Match(getHead, "/summary", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]interface{}{"orders": 17, "revenue": 4200, "period": "2024-Q2"})
	})
	labkit.Serve(f, e)
}

// tokenValidator checks a bearer token for middleware.KeyAuth.
func tokenValidator(hard bool, secret []byte) middleware.KeyAuthValidator {
	if !hard {
		// VULNERABLE [jwt.alg-none-accepted]: a keyfunc that hands out a key
		// for whatever alg the token names, "none" included; and no claim
		// validation [jwt.exp-not-verified, jwt.aud-not-verified, jwt.iss-not-verified].
		parser := jwt.NewParser(jwt.WithoutClaimsValidation())
		return func(key string, c echo.Context) (bool, error) {
			tok, err := parser.Parse(key, func(t *jwt.Token) (interface{}, error) {
				if t.Method == jwt.SigningMethodNone {
					return jwt.UnsafeAllowNoneSignatureType, nil
				}
				return secret, nil
			})
			if err != nil || !tok.Valid {
				return false, nil
			}
			c.Set("claims", tok.Claims.(jwt.MapClaims))
			return true, nil
		}
	}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}))
	return func(key string, c echo.Context) (bool, error) {
		cl := jwt.MapClaims{}
		tok, err := parser.ParseWithClaims(key, cl, func(t *jwt.Token) (interface{}, error) {
			return secret, nil
		})
		now := time.Now().Unix()
		if err != nil || !tok.Valid || !cl.VerifyAudience(audience, true) ||
			!cl.VerifyIssuer(issuer, true) || !cl.VerifyExpiresAt(now, true) {
			return false, nil
		}
		c.Set("claims", cl)
		return true, nil
	}
}

const rsKid = "lab-rs-1"

// rsValidator checks RS256 tokens for /api/v3.
func rsValidator(hard bool, pub *rsa.PublicKey, pubPEM []byte) middleware.KeyAuthValidator {
	var parser *jwt.Parser
	var keyfunc jwt.Keyfunc
	if !hard {
		keyDir := os.TempDir() + "/echomw-keys"
		parser = jwt.NewParser()
		keyfunc = func(t *jwt.Token) (interface{}, error) {
			kid, _ := t.Header["kid"].(string)
			switch t.Method.(type) {
			case *jwt.SigningMethodRSA:
				// VULNERABLE [jwt.jku-accepted]: the key comes from the
				// JWK Set the token's own jku names.
				if jku, ok := t.Header["jku"].(string); ok && jku != "" {
					return fetchJWK(jku, kid)
				}
				// VULNERABLE [jwt.x5u-accepted]: likewise the certificate
				// the token's x5u names, with no chain validation.
				if x5u, ok := t.Header["x5u"].(string); ok && x5u != "" {
					return fetchCertKey(x5u)
				}
				return pub, nil
			case *jwt.SigningMethodHMAC:
				// VULNERABLE [jwt.kid-path-traversal]: "shared keys live in
				// files named by kid"; ../ reaches /dev/null, an empty key.
				if kid != "" && kid != rsKid {
					return os.ReadFile(filepath.Join(keyDir, kid))
				}
				// VULNERABLE [jwt.key-confusion]: the key's PEM as an HMAC secret.
				return pubPEM, nil
			}
			return nil, errors.New("unsupported alg")
		}
	} else {
		parser = jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}))
		keys := map[string]*rsa.PublicKey{rsKid: pub}
		keyfunc = func(t *jwt.Token) (interface{}, error) {
			kid, _ := t.Header["kid"].(string)
			if k, ok := keys[kid]; ok {
				return k, nil
			}
			return nil, errors.New("unknown kid")
		}
	}
	return claimsValidator(parser, keyfunc)
}

// claimsValidator accepts a token that parser verifies with keyfunc and
// whose aud, iss and exp hold.
func claimsValidator(parser *jwt.Parser, keyfunc jwt.Keyfunc) middleware.KeyAuthValidator {
	return func(key string, c echo.Context) (bool, error) {
		cl := jwt.MapClaims{}
		tok, err := parser.ParseWithClaims(key, cl, keyfunc)
		now := time.Now().Unix()
		if err != nil || !tok.Valid || !cl.VerifyAudience(audience, true) ||
			!cl.VerifyIssuer(issuer, true) || !cl.VerifyExpiresAt(now, true) {
			return false, nil
		}
		return true, nil
	}
}

// rsPrefetchValidator checks RS256 tokens for /api/v4 against the pinned
// key; in vuln mode it first fetches the token's jku "to warm the key
// cache" (and drops what it got).
func rsPrefetchValidator(hard bool, pub *rsa.PublicKey) middleware.KeyAuthValidator {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}))
	keyfunc := func(t *jwt.Token) (interface{}, error) {
		if !hard {
			// VULNERABLE [jwt.key-url-fetched]: a request to any URL a caller
			// puts in a token, before the token is verified.
			if jku, ok := t.Header["jku"].(string); ok && jku != "" {
				kid, _ := t.Header["kid"].(string)
				_, _ = fetchJWK(jku, kid)
			}
			if x5u, ok := t.Header["x5u"].(string); ok && x5u != "" {
				_, _ = fetchCertKey(x5u)
			}
		}
		if kid, _ := t.Header["kid"].(string); kid != rsKid {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	}
	return claimsValidator(parser, keyfunc)
}

// loopbackGet fetches rawURL, at most 64 KiB. The lab fetches only from
// loopback (a guard of the lab, not of the vulnerable design): tests never
// make it reach anywhere else.
func loopbackGet(rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errors.New("bad key URL")
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, errors.New("lab: key URL outside loopback refused")
	}
	cl := &http.Client{Timeout: 2 * time.Second}
	resp, err := cl.Get(rawURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<16))
}

// fetchCertKey reads the RSA key of the (first) PEM certificate at rawURL.
func fetchCertKey(rawURL string) (*rsa.PublicKey, error) {
	body, err := loopbackGet(rawURL)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(body)
	if blk == nil {
		return nil, errors.New("no certificate")
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, err
	}
	if k, ok := cert.PublicKey.(*rsa.PublicKey); ok {
		return k, nil
	}
	return nil, errors.New("not an RSA certificate")
}

// fetchJWK reads the RSA key kid from the JWK Set at rawURL.
func fetchJWK(rawURL, kid string) (*rsa.PublicKey, error) {
	body, err := loopbackGet(rawURL)
	if err != nil {
		return nil, err
	}
	var set struct {
		Keys []struct {
			Kty, Kid, N, E string
		} `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, err
	}
	b64 := base64.RawURLEncoding
	for _, k := range set.Keys {
		if k.Kty != "RSA" || (kid != "" && k.Kid != kid) {
			continue
		}
		n, err1 := b64.DecodeString(k.N)
		e, err2 := b64.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(e) > 4 {
			continue
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	}
	return nil, errors.New("no such key")
}

func hasWord(s, want string) bool {
	for _, w := range strings.Fields(s) {
		if w == want {
			return true
		}
	}
	return false
}
