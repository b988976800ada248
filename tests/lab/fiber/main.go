// Lab service "fiber": stands in for a gofiber app (Debian ships no Fiber, so
// this is net/http answering like Fiber: unknown routes get 404 text/plain
// "Cannot GET /path"). -mode vuln models a reverse proxy that forwards
// everything to a mounted /var/run/docker.sock, so the Docker Engine API is
// reachable on the service itself, and a .env file served from the web root.
// -mode hard is the fixed twin. See tests/lab/CONTRACT.md.
package main

import (
	"fmt"
	"net/http"
	"regexp"
	"warden.lab/labkit"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: fiber", "version": "0.9.0"},
  "paths": {
    "/api/v1/health": {
      "get": {"operationId": "health", "summary": "Liveness probe",
              "responses": {"200": {"description": "ok"}}}
    }
  },
  "components": {"securitySchemes": {}},
  "security": []
}`

// Docker Engine API 1.43 (docker 24.0.5) answers.
const dockerVersion = `{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"24.0.5","Details":{"ApiVersion":"1.43","Arch":"amd64","BuildTime":"2023-07-21T20:35:23.000000000+00:00","Experimental":"false","GitCommit":"a61e2b4","GoVersion":"go1.20.6","KernelVersion":"5.15.0-78-generic","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.22","Details":{"GitCommit":"8165feabfdfe38c65b599c4993d227328c231fca"}},{"Name":"runc","Version":"1.1.8","Details":{"GitCommit":"v1.1.8-0-g82f18fe"}},{"Name":"docker-init","Version":"0.19.0","Details":{"GitCommit":"de40ad0"}}],"Version":"24.0.5","ApiVersion":"1.43","MinAPIVersion":"1.12","GitCommit":"a61e2b4","GoVersion":"go1.20.6","Os":"linux","Arch":"amd64","KernelVersion":"5.15.0-78-generic","BuildTime":"2023-07-21T20:35:23.000000000+00:00"}
`

const dockerInfo = `{"ID":"7QZ3:KXJ2:M4VN:5TLP:Q3R6:WYEH:5G2K:D7QW:3XZP:LM4N:6VBR:2TYU","Containers":3,"ContainersRunning":2,"ContainersPaused":0,"ContainersStopped":1,"Images":7,"Driver":"overlay2","DriverStatus":[["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]],"Plugins":{"Volume":["local"],"Network":["bridge","host","ipvlan","macvlan","null","overlay"],"Authorization":null,"Log":["awslogs","fluentd","gcplogs","gelf","journald","json-file","local","logentries","splunk","syslog"]},"MemoryLimit":true,"SwapLimit":false,"KernelMemoryTCP":true,"CpuCfsPeriod":true,"CpuCfsQuota":true,"CPUShares":true,"CPUSet":true,"PidsLimit":true,"IPv4Forwarding":true,"BridgeNfIptables":true,"BridgeNfIp6tables":true,"Debug":false,"NFd":36,"OomKillDisable":false,"NGoroutines":49,"SystemTime":"2024-05-14T09:12:45.118034512Z","LoggingDriver":"json-file","CgroupDriver":"systemd","CgroupVersion":"2","NEventsListener":0,"KernelVersion":"5.15.0-78-generic","OperatingSystem":"Ubuntu 22.04.3 LTS","OSVersion":"22.04","OSType":"linux","Architecture":"x86_64","IndexServerAddress":"https://index.docker.io/v1/","RegistryConfig":{"AllowNondistributableArtifactsCIDRs":null,"AllowNondistributableArtifactsHostnames":null,"InsecureRegistryCIDRs":["127.0.0.0/8"],"IndexConfigs":{"docker.io":{"Name":"docker.io","Mirrors":[],"Secure":true,"Official":true}},"Mirrors":null},"NCPU":4,"MemTotal":8323002368,"GenericResources":null,"DockerRootDir":"/var/lib/docker","HttpProxy":"","HttpsProxy":"","NoProxy":"","Name":"build-host-01","Labels":[],"ExperimentalBuild":false,"ServerVersion":"24.0.5","Runtimes":{"io.containerd.runc.v2":{"path":"runc"},"runc":{"path":"runc"}},"DefaultRuntime":"runc","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null},"LiveRestoreEnabled":false,"Isolation":"","InitBinary":"docker-init","ContainerdCommit":{"ID":"8165feabfdfe38c65b599c4993d227328c231fca","Expected":"8165feabfdfe38c65b599c4993d227328c231fca"},"RuncCommit":{"ID":"v1.1.8-0-g82f18fe","Expected":"v1.1.8-0-g82f18fe"},"InitCommit":{"ID":"de40ad0","Expected":"de40ad0"},"SecurityOptions":["name=apparmor","name=seccomp,profile=builtin","name=cgroupns"],"Warnings":null}
`

const dockerContainers = `[{"Id":"3f1c2a9b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8","Names":["/api"],"Image":"registry.example.com/shop/api:1.4.2","ImageID":"sha256:5b8e1c3f7a9d2e4c6b0a1f3e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c","Command":"/app/server","Created":1715331165,"Ports":[{"IP":"0.0.0.0","PrivatePort":8080,"PublicPort":8080,"Type":"tcp"}],"Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"api"},"State":"running","Status":"Up 3 days","HostConfig":{"NetworkMode":"shop_default"},"NetworkSettings":{"Networks":{"shop_default":{"IPAMConfig":null,"Links":null,"Aliases":null,"NetworkID":"c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3","EndpointID":"e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3c2d4e6f8a0b1c3d5","Gateway":"172.18.0.1","IPAddress":"172.18.0.3","IPPrefixLen":16,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"MacAddress":"02:42:ac:12:00:03","DriverOpts":null}}},"Mounts":[{"Type":"bind","Source":"/var/run/docker.sock","Destination":"/var/run/docker.sock","Mode":"rw","RW":true,"Propagation":"rprivate"}]},{"Id":"9b2e4c1d8a7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a","Names":["/db"],"Image":"postgres:15","ImageID":"sha256:8f4e2a6c0b1d3f5e7a9c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a6c8b0d1f3e","Command":"docker-entrypoint.sh postgres","Created":1715331160,"Ports":[{"PrivatePort":5432,"Type":"tcp"}],"Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"db"},"State":"running","Status":"Up 3 days","HostConfig":{"NetworkMode":"shop_default"},"NetworkSettings":{"Networks":{"shop_default":{"IPAMConfig":null,"Links":null,"Aliases":null,"NetworkID":"c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3","EndpointID":"a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3c2d4e6f8a0b1c3d5e7f9","Gateway":"172.18.0.1","IPAddress":"172.18.0.2","IPPrefixLen":16,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"MacAddress":"02:42:ac:12:00:02","DriverOpts":null}}},"Mounts":[{"Type":"volume","Name":"shop_pgdata","Source":"/var/lib/docker/volumes/shop_pgdata/_data","Destination":"/var/lib/postgresql/data","Driver":"local","Mode":"z","RW":true,"Propagation":""}]}]
`

const dockerImages = `[{"Containers":1,"Created":1715330001,"Id":"sha256:5b8e1c3f7a9d2e4c6b0a1f3e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c","Labels":{"org.opencontainers.image.source":"https://git.example.com/shop/api"},"ParentId":"","RepoDigests":["registry.example.com/shop/api@sha256:0d2f4b6a8c1e3d5f7a9b1c3e5d7f9a2b4c6e8d0f1a3b5c7e9d2f4a6b8c0e1d3f"],"RepoTags":["registry.example.com/shop/api:1.4.2"],"SharedSize":-1,"Size":24512334,"VirtualSize":24512334},{"Containers":1,"Created":1714121212,"Id":"sha256:8f4e2a6c0b1d3f5e7a9c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a6c8b0d1f3e","Labels":null,"ParentId":"","RepoDigests":["postgres@sha256:6a8c0e2b4d6f8a1c3e5b7d9f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c"],"RepoTags":["postgres:15"],"SharedSize":-1,"Size":425402341,"VirtualSize":425402341}]
`

func main() {
	f := labkit.ParseFlags()

	routes := map[string]http.HandlerFunc{
		"/openapi.json": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, openAPI)
		},
		"/api/v1/health": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"status":"ok"}`)
		},
	}
	var dockerPath *regexp.Regexp

	if !f.Hard() {
		// VULNERABLE [endpoint.docker-api]: a catch-all proxy route forwards to
		// the bind-mounted /var/run/docker.sock, so anyone reaching the service
		// drives the Docker Engine (optionally with the /v1.NN prefix).
		dockerPath = regexp.MustCompile(`^/v1\.[0-9]+(/.*)$`)
		docker := func(ctype, body string) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) {
				h := w.Header()
				h.Set("Api-Version", "1.43")
				h.Set("Docker-Experimental", "false")
				h.Set("Ostype", "linux")
				h.Set("Server", "Docker/24.0.5 (linux)")
				h.Set("Content-Type", ctype)
				if ctype == "text/plain; charset=utf-8" {
					h.Set("Cache-Control", "no-cache, no-store, must-revalidate")
					h.Set("Pragma", "no-cache")
				}
				fmt.Fprint(w, body)
			}
		}
		routes["/_ping"] = docker("text/plain; charset=utf-8", "OK")
		routes["/version"] = docker("application/json", dockerVersion)
		routes["/info"] = docker("application/json", dockerInfo)
		routes["/containers/json"] = docker("application/json", dockerContainers)
		routes["/images/json"] = docker("application/json", dockerImages)

		// VULNERABLE [endpoint.dotenv]: the static root includes the app's .env.
		routes["/.env"] = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, "APP_ENV=production\nDB_HOST=db\nDB_USER=shop\nDB_PASSWORD=s3cr3t-pass\n"+
				"JWT_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0c4e8a2f6d0b9e3c7\nREDIS_URL=redis://:r3d1s-pass@redis:6379/0\n")
		}
	}

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if dockerPath != nil {
			if m := dockerPath.FindStringSubmatch(path); m != nil {
				path = m[1]
			}
		}
		h, ok := routes[path]
		if !ok {
			// Fiber's default 404.
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, "Cannot %s %s", r.Method, r.URL.Path)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h(w, r)
		default:
			w.Header().Set("Allow", "GET, HEAD")
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMethodNotAllowed)
			fmt.Fprint(w, "Method Not Allowed")
		}
	})

	labkit.Serve(f, app)
}

// ---------------------------------------------------------------------------
// Lab plumbing, identical in every Go lab service: flags, listening on the
// given address, -addr-file (written atomically once the socket is bound),
// optional TLS and the plain-HTTP redirect listener, hardened headers.
// ---------------------------------------------------------------------------
