// Lab service "chimtls": the Chi seed itself, a go-chi/chi v5 API served
// over mutual TLS, with an admin route that shells out to docker.
//
// -mode vuln (the seed's pattern):
//   - tls.RequestClientCert plus a VerifyPeerCertificate callback,
//     verifyClientCert, that returns nil: any certificate is taken, from
//     any issuer, expired or not, whatever its key usage. The app only
//     checks that *a* certificate came (401 without one).
//     [mtls.any-cert-accepted, mtls.expired-cert-accepted, mtls.no-eku-accepted]
//   - GET /api/v1/admin/containers answers a `docker ps` table to every
//     authenticated client: the identity is not mapped to operations.
//     [container.command-output, mtls.identity-not-mapped]
//   - MinVersion TLS 1.0, MaxVersion TLS 1.2 and CBC-SHA1 suites only.
//     [tls.old-protocol, tls.weak-cipher]
//
// -mode hard (the fixed twin):
//   - tls.RequireAndVerifyClientCert with ClientCAs = -client-ca, and a
//     VerifyPeerCertificate that admits only the subjects of an allowlist
//     (CN=warden-client, CN=warden-admin); TLS 1.2+ with AEAD suites only.
//   - the admin route answers only CN=warden-admin; others get 403.
//
// -client-auth MODE (with -mode hard's TLS versions and suites, no app-level
// certificate check, the admin route for CN=warden-admin only) serves one Go
// crypto/tls client-auth mode as it is, so each can be told apart:
//   request        tls.RequestClientCert: asked for, not required, not verified
//   requireany     tls.RequireAnyClientCert: required, not verified
//   ifgiven        tls.VerifyClientCertIfGiven with ClientCAs: verified if sent
//   requireverify  tls.RequireAndVerifyClientCert with ClientCAs
//   callback       tls.RequireAndVerifyClientCert's usual "fix" gone wrong:
//                  RequireAnyClientCert and a VerifyPeerCertificate returning nil
//
// Both modes send nosniff and HSTS, so that the findings on the vulnerable
// instance are the mTLS ones. Flags: the lab's common ones (-addr,
// -addr-file, -mode, -tls-cert, -tls-key; see ../CONTRACT.md) plus
// -client-ca FILE (PEM; required in hard mode).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// mTLS cannot be expressed in OpenAPI 3.0: no security requirement here.
const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: chimtls", "version": "1.0.0"},
  "paths": {
    "/api/v1/health": {"get": {"operationId": "health", "responses": {"200": {"description": "ok"}}}},
    "/api/v1/whoami": {"get": {"operationId": "whoami", "responses": {"200": {"description": "the client certificate subject"}}}},
    "/api/v1/admin/containers": {"get": {"operationId": "listContainers", "summary": "docker ps",
      "responses": {"200": {"description": "containers"}, "403": {"description": "forbidden"}}}}
  }
}`

const dockerPS = `CONTAINER ID   IMAGE                 COMMAND                  CREATED        STATUS        PORTS                    NAMES
3f1c2a9b7d4e   registry.lab/api:2.0  "/app/server -addr :…"   3 hours ago    Up 3 hours    0.0.0.0:8443->8443/tcp   api
9a8b7c6d5e4f   postgres:15           "docker-entrypoint.s…"   3 hours ago    Up 3 hours    5432/tcp                 db
`

// Subjects the hardened twin lets in, and the one that may administer.
var allowedCN = map[string]bool{"warden-client": true, "warden-admin": true}

const adminCN = "warden-admin"

// verifyClientCert is the seed's callback: it is meant to apply a policy
// (allowed CNs, OUs, key usage) and returns nil for everything.
func verifyClientCert(rawCerts [][]byte, verifiedChains [][]*x509.Certificate) error {
	return nil
}

// verifyAllowlist runs after Go verified the chain against ClientCAs.
func verifyAllowlist(rawCerts [][]byte, verifiedChains [][]*x509.Certificate) error {
	if len(verifiedChains) == 0 || len(verifiedChains[0]) == 0 {
		return errors.New("no verified client certificate")
	}
	if !allowedCN[verifiedChains[0][0].Subject.CommonName] {
		return fmt.Errorf("client %q is not allowed", verifiedChains[0][0].Subject.CommonName)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func clientCN(r *http.Request) (string, bool) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return "", false
	}
	return r.TLS.PeerCertificates[0].Subject.CommonName, true
}

// requireCert is all the vulnerable app checks: that a certificate came.
func requireCert(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := clientCN(r); !ok {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "client certificate required"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func router(hard, appCheck bool) http.Handler {
	r := chi.NewRouter()
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("Strict-Transport-Security", "max-age=63072000")
			next.ServeHTTP(w, r)
		})
	})
	if appCheck {
		r.Use(requireCert)
	}
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"service": "chimtls", "docs": "/openapi.json"})
	})
	r.Get("/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(openAPI))
	})
	r.Get("/api/v1/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"status": "ok"})
	})
	r.Get("/api/v1/whoami", func(w http.ResponseWriter, r *http.Request) {
		cn, _ := clientCN(r)
		writeJSON(w, 200, map[string]string{"subject": cn})
	})
	r.Get("/api/v1/admin/containers", func(w http.ResponseWriter, r *http.Request) {
		cn, _ := clientCN(r)
		if hard && cn != adminCN {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "forbidden"})
			return
		}
		// The seed: any mTLS-authenticated request reaches the Docker socket.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(dockerPS))
	})
	return r
}

func loadPool(file string) *x509.CertPool {
	pem, err := os.ReadFile(file)
	if err != nil {
		log.Fatalf("-client-ca: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		log.Fatalf("-client-ca %s: no certificate", file)
	}
	return pool
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (port 0 = ephemeral)")
	addrFile := flag.String("addr-file", "", "write the bound URL to this file once listening")
	mode := flag.String("mode", "vuln", "vuln|hard")
	certFile := flag.String("tls-cert", "", "server certificate (PEM)")
	keyFile := flag.String("tls-key", "", "server key (PEM)")
	clientCA := flag.String("client-ca", "", "CA that signs client certificates (PEM)")
	clientAuth := flag.String("client-auth", "", "request|requireany|ifgiven|requireverify|callback: one crypto/tls mode as it is")
	flag.String("redirect-addr-file", "", "ignored (no plain-HTTP listener)")
	flag.Parse()
	hard := *mode == "hard"
	if *mode != "vuln" && !hard {
		log.Fatalf("-mode must be vuln or hard, got %q", *mode)
	}
	appCheck := *clientAuth == "" // the app's own "a certificate came" check
	if *certFile == "" || *keyFile == "" {
		log.Fatal("-tls-cert and -tls-key are required")
	}
	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("loading TLS key pair: %v", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	if *clientAuth != "" {
		hard = true
		cfg.MinVersion = tls.VersionTLS12
		switch *clientAuth {
		case "request":
			cfg.ClientAuth = tls.RequestClientCert
		case "requireany":
			cfg.ClientAuth = tls.RequireAnyClientCert
		case "ifgiven":
			cfg.ClientAuth = tls.VerifyClientCertIfGiven
			cfg.ClientCAs = loadPool(*clientCA)
		case "requireverify":
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
			cfg.ClientCAs = loadPool(*clientCA)
		case "callback":
			cfg.ClientAuth = tls.RequireAnyClientCert
			cfg.VerifyPeerCertificate = verifyClientCert
		default:
			log.Fatalf("-client-auth %q: not one of request, requireany, ifgiven, requireverify, callback", *clientAuth)
		}
	} else if hard {
		pem, err := os.ReadFile(*clientCA)
		if err != nil {
			log.Fatalf("-client-ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			log.Fatalf("-client-ca %s: no certificate", *clientCA)
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = pool
		cfg.VerifyPeerCertificate = verifyAllowlist
		cfg.MinVersion = tls.VersionTLS12
		cfg.CipherSuites = []uint16{
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,
		}
	} else {
		cfg.ClientAuth = tls.RequestClientCert
		cfg.VerifyPeerCertificate = verifyClientCert
		cfg.MinVersion = tls.VersionTLS10
		cfg.MaxVersion = tls.VersionTLS12
		cfg.CipherSuites = []uint16{
			tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
			tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
			tls.TLS_RSA_WITH_AES_128_CBC_SHA,
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen %s: %v", *addr, err)
	}
	bound := ln.Addr().(*net.TCPAddr)
	url := "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(bound.Port))
	if *addrFile != "" {
		tmp := fmt.Sprintf("%s.tmp.%d", *addrFile, os.Getpid())
		if err := os.WriteFile(tmp, []byte(url), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	srv := &http.Server{Handler: router(hard, appCheck), TLSConfig: cfg, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(os.Stderr, "", log.LstdFlags)}
	if *mode == "vuln" && *clientAuth == "" {
		// HTTP/2 needs an AES-GCM suite, which the CBC-only list lacks.
		srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	}
	log.Printf("listening on %s (mode=%s)", url, *mode)
	log.Fatal(srv.ServeTLS(ln, "", ""))
}
