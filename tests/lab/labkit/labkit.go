// Package labkit is what every Go lab service shares: the common flags
// (-addr, -addr-file, -mode, -tls-cert, -tls-key, -redirect-addr-file),
// writing the bound URL atomically, the hardened-mode headers and serving
// over HTTP or HTTPS with an optional plain-HTTP redirector. See
// tests/lab/CONTRACT.md.
package labkit

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Flags are the options every lab service takes.
type Flags struct {
	addr, addrFile, mode, tlsCert, tlsKey, redirectFile string
}

// Hard reports whether this is the hardened twin.
func (f Flags) Hard() bool { return f.mode == "hard" }

// UseTLS reports whether the service serves HTTPS.
func (f Flags) UseTLS() bool { return f.tlsCert != "" || f.tlsKey != "" }

// ParseFlags parses the common flags (and any the service defined before).
func ParseFlags() Flags {
	var f Flags
	flag.StringVar(&f.addr, "addr", "127.0.0.1:0", "listen address (port 0 = ephemeral)")
	flag.StringVar(&f.addrFile, "addr-file", "", "write the bound URL to this file once listening")
	flag.StringVar(&f.mode, "mode", "vuln", "vuln|hard")
	flag.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate (PEM); enables HTTPS")
	flag.StringVar(&f.tlsKey, "tls-key", "", "TLS private key (PEM)")
	flag.StringVar(&f.redirectFile, "redirect-addr-file", "", "with TLS: also serve a plain-HTTP 301 redirector and write its URL here")
	flag.Parse()
	if f.mode != "vuln" && f.mode != "hard" {
		log.Fatalf("-mode must be vuln or hard, got %q", f.mode)
	}
	if f.UseTLS() && (f.tlsCert == "" || f.tlsKey == "") {
		log.Fatal("-tls-cert and -tls-key go together")
	}
	return f
}

// WriteAtomic writes content to a temp file next to path and renames it, so a
// reader never sees a partial URL.
func WriteAtomic(path, content string) {
	if path == "" {
		return
	}
	tmp := fmt.Sprintf("%s.tmp.%d", path, os.Getpid())
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		log.Fatal(err)
	}
}

// urlHost is the host part for URLs: the bound IP (an unspecified address is
// shown as loopback, since that is what local clients can reach).
func urlHost(a *net.TCPAddr) string {
	if a.IP == nil || a.IP.IsUnspecified() {
		if a.IP.To4() == nil && a.IP != nil {
			return "::1"
		}
		return "127.0.0.1"
	}
	return a.IP.String()
}

// headers adds the hardened-mode headers to every response (404s included).
func headers(f Flags, next http.Handler) http.Handler {
	if !f.Hard() {
		return next
	}
	tlsOn := f.UseTLS()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if tlsOn {
			w.Header().Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

// Serve listens, writes the bound URL(s) and serves h until the process ends.
func Serve(f Flags, h http.Handler) {
	var tlsCfg *tls.Config
	if f.UseTLS() {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			log.Fatalf("loading TLS key pair: %v", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}}
		if f.Hard() {
			tlsCfg.MinVersion = tls.VersionTLS12
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		log.Fatalf("listen %s: %v", f.addr, err)
	}
	bound := ln.Addr().(*net.TCPAddr)
	host := urlHost(bound)
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	url := scheme + "://" + net.JoinHostPort(host, strconv.Itoa(bound.Port))
	srv := &http.Server{Handler: headers(f, h), TLSConfig: tlsCfg, ReadHeaderTimeout: 10 * time.Second}

	if f.redirectFile != "" {
		if tlsCfg == nil {
			log.Printf("-redirect-addr-file ignored: only meaningful with TLS")
		} else {
			rln, err := net.Listen("tcp", net.JoinHostPort(bound.IP.String(), "0"))
			if err != nil {
				log.Fatalf("listen (redirect): %v", err)
			}
			rport := rln.Addr().(*net.TCPAddr).Port
			redirect := headers(Flags{mode: f.mode}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, url+r.URL.RequestURI(), http.StatusMovedPermanently)
			}))
			go func() { log.Fatal(http.Serve(rln, redirect)) }()
			WriteAtomic(f.redirectFile, "http://"+net.JoinHostPort(host, strconv.Itoa(rport)))
		}
	}
	WriteAtomic(f.addrFile, url)
	log.Printf("listening on %s (mode=%s)", url, f.mode)
	if tlsCfg != nil {
		err = srv.ServeTLS(ln, "", "")
	} else {
		err = srv.Serve(ln)
	}
	log.Fatal(err)
}
