// Lab service "recorder": a target that counts what it is sent, so a test
// can prove which methods warden used (docs/cli.md, the active mode).
//
// It serves an OpenAPI document with read and write operations on
// /api/v1/things and /api/v1/notes, answers every request, and records for
// each "METHOD path" how many requests came, in what order (a sequence
// number per request), and for writes the Content-Type and body of the
// last one, and how many came and the last body for each Content-Type
// (content_types, bodies: a check may send the same write as another
// type, and which of them came last must not matter). GET /__record returns the record as JSON; it is not in the
// spec and is not counted. Plain net/http: a framework adds nothing here.
// -mode is accepted (labkit) and changes nothing.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"warden.lab/labkit"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: recorder", "version": "1.0.0"},
  "paths": {
    "/api/v1/things": {
      "get": {"operationId": "listThings", "responses": {"200": {"description": "things"}}},
      "post": {"operationId": "createThing",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object",
          "properties": {"name": {"type": "string", "example": "lamp"}}}}}},
        "responses": {"201": {"description": "created"}}}
    },
    "/api/v1/things/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "get": {"operationId": "getThing", "responses": {"200": {"description": "a thing"}}},
      "put": {"operationId": "replaceThing",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "replaced"}}},
      "patch": {"operationId": "updateThing",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "updated"}}},
      "delete": {"operationId": "deleteThing", "responses": {"204": {"description": "deleted"}}}
    },
    "/api/v1/notes": {
      "post": {"operationId": "createNote",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"201": {"description": "created"}}}
    },
    "/api/v1/notes/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "put": {"operationId": "replaceNote",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "replaced"}}}
    }
  }
}`

type entry struct {
	Count    int    `json:"count"`
	LastSeq  int    `json:"last_seq"`
	FirstSeq int    `json:"first_seq"`
	CType    string `json:"content_type,omitempty"`
	Body     string `json:"body,omitempty"`
	BodyLen  int    `json:"body_len"`
	CTypes   map[string]int    `json:"content_types,omitempty"`
	Bodies   map[string]string `json:"bodies,omitempty"`
}

type recorder struct {
	mu  sync.Mutex
	seq int
	m   map[string]*entry
}

func (rc *recorder) note(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64*1024))
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.seq++
	k := r.Method + " " + r.URL.Path
	e := rc.m[k]
	if e == nil {
		e = &entry{FirstSeq: rc.seq}
		rc.m[k] = e
	}
	e.Count++
	e.LastSeq = rc.seq
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		e.CType = r.Header.Get("Content-Type")
		e.Body = string(body)
		e.BodyLen = len(body)
		if e.CTypes == nil {
			e.CTypes, e.Bodies = map[string]int{}, map[string]string{}
		}
		if len(e.CTypes) < 16 || e.CTypes[e.CType] > 0 {
			e.CTypes[e.CType]++
			e.Bodies[e.CType] = e.Body
		}
	}
}

func main() {
	f := labkit.ParseFlags()
	rc := &recorder{m: map[string]*entry{}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/__record" {
			rc.mu.Lock()
			b, _ := json.Marshal(rc.m)
			rc.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Write(b)
			return
		}
		rc.note(r)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/openapi.json":
			w.Write([]byte(openAPI))
		case strings.HasPrefix(r.URL.Path, "/api/v1/"):
			switch r.Method {
			case http.MethodPost:
				w.WriteHeader(http.StatusCreated)
				w.Write([]byte(`{"id":7,"status":"created"}`))
			case http.MethodDelete:
				w.WriteHeader(http.StatusNoContent)
			default:
				w.Write([]byte(`{"id":1,"name":"lamp"}`))
			}
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"not found"}`))
		}
	})
	labkit.Serve(f, h)
}
