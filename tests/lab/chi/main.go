// Lab service "chi": models the Chi seed (go-chi/chi v5 service meant to sit
// behind mutual TLS). In -mode vuln the client-certificate check is absent
// (the lab serves it over plain HTTP), and the service exposes pprof, a
// Prometheus endpoint, its mount table / cgroup (container.host-file), its
// environment (container.env-dump) and a session cookie without flags.
// -mode hard is the fixed twin. See tests/lab/CONTRACT.md.
package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"warden.lab/labkit"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// mTLS cannot be expressed in OpenAPI 3.0, so the spec says bearerAuth.
// /api/v1/session is the public login-like route.
const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: chi", "version": "2.0.1"},
  "paths": {
    "/api/v1/system/info": {
      "get": {"operationId": "systemInfo", "summary": "Runtime information",
              "responses": {"200": {"description": "info"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/system/env": {
      "get": {"operationId": "systemEnv", "summary": "Runtime configuration",
              "responses": {"200": {"description": "configuration"}, "401": {"description": "unauthorized"}}}
    },
    "/api/v1/session": {
      "get": {"operationId": "newSession", "summary": "Open a session", "security": [],
              "responses": {"200": {"description": "session cookie set"}}}
    }
  },
  "components": {
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
  },
  "security": [{"bearerAuth": []}]
}`

const containerID = "3f1c2a9b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"

// What /proc/self/mounts and /proc/self/cgroup show inside a Docker container
// that has the engine socket bind-mounted.
const systemInfo = `# /proc/self/mounts
overlay / overlay rw,relatime,lowerdir=/var/lib/docker/overlay2/l/ABCQ7Z3KXJ2M4VN5TLPQ3R6WYE:/var/lib/docker/overlay2/l/H5G2KD7QW3XZPLM4N6VBR2TYUI,upperdir=/var/lib/docker/overlay2/9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e/diff,workdir=/var/lib/docker/overlay2/9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e/work 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0
sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0
cgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 /etc/resolv.conf ext4 rw,relatime,errors=remount-ro 0 0
/dev/sda1 /etc/hostname ext4 rw,relatime,errors=remount-ro 0 0
/dev/sda1 /etc/hosts ext4 rw,relatime,errors=remount-ro 0 0
tmpfs /run/docker.sock tmpfs rw,nosuid,nodev,noexec,relatime,size=401604k,mode=755 0 0
/dev/sda1 /var/run/docker.sock ext4 rw,relatime,errors=remount-ro 0 0

# /proc/self/cgroup
0::/docker/` + containerID + `
`

// A container environment as `env` prints it. DB_PASSWORD's line (44
// bytes) comes right before AWS_SECRET_ACCESS_KEY's, where the env-dump
// check matches: a finding's excerpt, which starts 40 bytes before the
// match, then opens inside that line after its name (issue 8;
// tests/integ/test_secrets.py).
const systemEnv = `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOSTNAME=api-7d9f8c6b5-x2kqp
HOME=/root
APP_ENV=production
KUBERNETES_SERVICE_HOST=10.96.0.1
KUBERNETES_SERVICE_PORT=443
KUBERNETES_SERVICE_PORT_HTTPS=443
KUBERNETES_PORT=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
KUBERNETES_PORT_443_TCP_PORT=443
KUBERNETES_PORT_443_TCP_PROTO=tcp
AWS_REGION=eu-west-1
AWS_ACCESS_KEY_ID=AKIA4QWERTY7LABZ2K5M
DB_HOST=postgres.default.svc.cluster.local
DB_USER=api
DB_PASSWORD=Pr0d-db-pa55w0rd-2026-rotate-me!
AWS_SECRET_ACCESS_KEY=q8Vd2Lr7Xk1Nf0Tz5Hs9Bw3Jc6Pm4Ye8Ug2Ra7Ko
GOLANG_VERSION=1.20.6
`

func main() {
	f := labkit.ParseFlags()
	token := os.Getenv("LAB_TOKEN")
	if token == "" {
		token = "lab-token-chi"
	}
	started := time.Now()

	r := chi.NewRouter()
	r.Use(middleware.GetHead) // HEAD is answered by the GET route
	r.Use(cors(f.Hard()))
	r.Get("/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, openAPI)
	})

	if !f.Hard() {
		// VULNERABLE [endpoint.pprof]: profiler (and expvar) mounted in production.
		r.Mount("/debug", middleware.Profiler())
		// VULNERABLE [endpoint.metrics]: unauthenticated Prometheus endpoint.
		r.Get("/metrics", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			fmt.Fprint(w, promText(started))
		})
		// Meant to sit behind mTLS, but the client-certificate check is missing
		// (the spec declares bearerAuth for both routes).
		r.Get("/api/v1/system/info", func(w http.ResponseWriter, _ *http.Request) {
			// VULNERABLE [container.host-file, container.socket-path]: host mount
			// table and cgroup, showing the Docker socket bind mount.
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, systemInfo)
		})
		r.Get("/api/v1/system/env", func(w http.ResponseWriter, _ *http.Request) {
			// VULNERABLE [container.env-dump]: the whole environment, credentials included.
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, systemEnv)
		})
		r.Get("/api/v1/session", func(w http.ResponseWriter, _ *http.Request) {
			// VULNERABLE [transport.cookie-flags]: no Secure, no HttpOnly, no SameSite.
			http.SetCookie(w, &http.Cookie{Name: "session", Value: randomID(), Path: "/"})
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"session":"created"}`)
		})
	} else {
		bearer := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := r.Header.Get("Authorization")
				got := strings.TrimPrefix(h, "Bearer ")
				if !strings.HasPrefix(h, "Bearer ") || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
					w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
					jsonError(w, http.StatusUnauthorized, "unauthorized")
					return
				}
				next.ServeHTTP(w, r)
			})
		}
		options := func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
		}
		r.Group(func(r chi.Router) {
			r.Use(bearer)
			r.Get("/api/v1/system/info", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"version":"2.0.1","uptime_seconds":%d}`, int(time.Since(started).Seconds()))
			})
			r.Get("/api/v1/system/env", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"APP_ENV":"production","LOG_LEVEL":"info"}`)
			})
			r.Options("/api/v1/system/info", options)
			r.Options("/api/v1/system/env", options)
		})
		r.Get("/api/v1/session", func(w http.ResponseWriter, _ *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: randomID(), Path: "/",
				Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"session":"created"}`)
		})
	}

	labkit.Serve(f, r)
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"error":%q}`, msg)
}

func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// promText renders the default Go and process collectors of
// prometheus/client_golang, with live values.
func promText(started time.Time) string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := int64(ms.Sys)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if fs := strings.Fields(string(b)); len(fs) > 1 {
			if pages, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
				rss = pages * int64(os.Getpagesize())
			}
		}
	}
	var sb strings.Builder
	p := func(format string, a ...interface{}) { fmt.Fprintf(&sb, format+"\n", a...) }
	p("# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.")
	p("# TYPE go_gc_duration_seconds summary")
	p(`go_gc_duration_seconds{quantile="0"} 2.1e-05`)
	p(`go_gc_duration_seconds{quantile="0.25"} 3.4e-05`)
	p(`go_gc_duration_seconds{quantile="0.5"} 4.6e-05`)
	p(`go_gc_duration_seconds{quantile="0.75"} 6.9e-05`)
	p(`go_gc_duration_seconds{quantile="1"} 0.000212`)
	p("go_gc_duration_seconds_sum %g", float64(ms.PauseTotalNs)/1e9)
	p("go_gc_duration_seconds_count %d", ms.NumGC)
	p("# HELP go_goroutines Number of goroutines that currently exist.")
	p("# TYPE go_goroutines gauge")
	p("go_goroutines %d", runtime.NumGoroutine())
	p("# HELP go_info Information about the Go environment.")
	p("# TYPE go_info gauge")
	p(`go_info{version="%s"} 1`, runtime.Version())
	p("# HELP go_memstats_alloc_bytes Number of bytes allocated and still in use.")
	p("# TYPE go_memstats_alloc_bytes gauge")
	p("go_memstats_alloc_bytes %d", ms.Alloc)
	p("# HELP go_memstats_heap_objects Number of allocated objects.")
	p("# TYPE go_memstats_heap_objects gauge")
	p("go_memstats_heap_objects %d", ms.HeapObjects)
	p("# HELP go_memstats_sys_bytes Number of bytes obtained from system.")
	p("# TYPE go_memstats_sys_bytes gauge")
	p("go_memstats_sys_bytes %d", ms.Sys)
	p("# HELP go_threads Number of OS threads created.")
	p("# TYPE go_threads gauge")
	p("go_threads %d", runtime.GOMAXPROCS(0)+4)
	p("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.")
	p("# TYPE process_cpu_seconds_total counter")
	p("process_cpu_seconds_total %.2f", time.Since(started).Seconds()/100)
	p("# HELP process_open_fds Number of open file descriptors.")
	p("# TYPE process_open_fds gauge")
	p("process_open_fds 9")
	p("# HELP process_max_fds Maximum number of open file descriptors.")
	p("# TYPE process_max_fds gauge")
	p("process_max_fds 1.048576e+06")
	p("# HELP process_resident_memory_bytes Resident memory size in bytes.")
	p("# TYPE process_resident_memory_bytes gauge")
	p("process_resident_memory_bytes %d", rss)
	p("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.")
	p("# TYPE process_start_time_seconds gauge")
	p("process_start_time_seconds %.2f", float64(started.UnixNano())/1e9)
	p("# HELP promhttp_metric_handler_requests_total Total number of scrapes by HTTP status code.")
	p("# TYPE promhttp_metric_handler_requests_total counter")
	p(`promhttp_metric_handler_requests_total{code="200"} 1`)
	p(`promhttp_metric_handler_requests_total{code="500"} 0`)
	p(`promhttp_metric_handler_requests_total{code="503"} 0`)
	return sb.String()
}

// ---------------------------------------------------------------------------
// Lab plumbing, identical in every Go lab service: flags, listening on the
// given address, -addr-file (written atomically once the socket is bound),
// optional TLS and the plain-HTTP redirect listener, hardened headers.
// ---------------------------------------------------------------------------

// cors answers cross-origin requests. VULNERABLE [cors.reflected-origin]
// in vuln mode: any Origin is reflected with credentials allowed, so any
// web page a logged-in user visits can read the API's answers. The
// hardened twin allows one known front-end only.
func cors(hard bool) func(http.Handler) http.Handler {
	const allowed = "https://app.example.com"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			if origin != "" && (!hard || origin == allowed) {
				w.Header().Set("Access-Control-Allow-Origin", origin)
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Add("Vary", "Origin")
			}
			next.ServeHTTP(w, r)
		})
	}
}
