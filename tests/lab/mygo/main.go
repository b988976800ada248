// Lab service "mygo": a Go API on database/sql with Debian's
// go-sql-driver/mysql against a real MariaDB (tests/integ/test_abuse.py
// starts the server with mylab.py, creates the table and starts this
// service with -mysql; labctl only builds it).
//
// GET /api/v1/parcels?ref= returns the parcels of a reference, described by
// /openapi.json. vuln: the SQL is built by concatenation and a failed query
// answers 500 with {"error": err.Error()}, the driver's own text
// ("Error 1064: You have an error in your SQL syntax; ..."), as Go handlers
// commonly do [injection.sql-error]. hard: the reference is a bound
// parameter and a failure answers a generic 500.
package main

import (
	"database/sql"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
	"warden.lab/labkit"
)

const openAPI = `{
  "openapi": "3.0.3",
  "info": {"title": "warden lab: mygo (MariaDB)", "version": "1.0.0"},
  "paths": {
    "/api/v1/parcels": {"get": {
      "operationId": "parcelsByRef", "summary": "The parcels of a reference",
      "parameters": [{"name": "ref", "in": "query", "schema": {"type": "string"}}],
      "responses": {"200": {"description": "parcels"}}}}
  }
}`

type parcel struct {
	ID     int    `json:"id"`
	Status string `json:"status"`
}

func answer(w http.ResponseWriter, status int, v interface{}) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func main() {
	dsn := flag.String("mysql", "", "mysql://user@host:port/db (required)")
	f := labkit.ParseFlags()
	u, err := url.Parse(*dsn)
	if err != nil || u.Scheme != "mysql" || u.Host == "" {
		log.Fatalf("-mysql: want mysql://user@host:port/db, got %q", *dsn)
	}
	cfg := mysql.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/openapi.json":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(openAPI))
			return
		case "/api/v1/parcels":
		default:
			answer(w, http.StatusNotFound, map[string]string{"error": "not found"})
			return
		}
		ref := r.URL.Query().Get("ref")
		var rows *sql.Rows
		var err error
		if f.Hard() {
			rows, err = db.Query("SELECT id, status FROM parcels WHERE ref = ?", ref)
		} else {
			// VULNERABLE [injection.sql-error]: SQL built by concatenation,
			// the driver's error returned to the client.
			rows, err = db.Query("SELECT id, status FROM parcels WHERE ref = '" + ref + "'")
		}
		if err != nil {
			if f.Hard() {
				answer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			} else {
				answer(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			}
			return
		}
		defer rows.Close()
		out := []parcel{}
		for rows.Next() {
			var p parcel
			if rows.Scan(&p.ID, &p.Status) == nil {
				out = append(out, p)
			}
		}
		answer(w, http.StatusOK, out)
	})
	labkit.Serve(f, h)
}
