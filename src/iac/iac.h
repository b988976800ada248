/*
 * iac.h - `warden iac`: container-escape analysis of deployment files
 * (Dockerfiles, docker-compose files, Kubernetes manifests).
 *
 * The analysis is static and offline: it reads files, never runs a
 * container and never talks to a cluster. Every finding names the file
 * and line that causes it. docs/iac.md lists the rules.
 */
#ifndef WD_IAC_H
#define WD_IAC_H
#include <stddef.h>

#include "../model/model.h"
#include "../report/report.h"

/* Every rule iac can raise, for `warden checks` and the reports. */
extern const struct wd_rule iac_rules[];
extern const size_t iac_nrules;

/*
 * Analyses the files and directories in paths ("-" = standard input):
 * directories are walked recursively (skipping .git, vendor and
 * node_modules), Dockerfiles, compose files and Kubernetes manifests are
 * recognised by name and content.
 *
 * Findings are added to out (the caller owns it). A problem with one file
 * (unreadable, malformed, too large, binary) becomes a note on rep naming
 * file:line:column (the CLI also prints it); the other files are still
 * analysed. Nothing is printed here. rep may be NULL.
 *
 * Returns the number of files that could be read and analysed; 0 means
 * nothing could be read (the CLI exits 2 then). `warden scan --iac PATH`
 * calls this through scan_opts.iac_analyze.
 */
int iac_analyze_paths(const char *const *paths, size_t n,
                      struct wd_findings *out, struct report *rep);

/*
 * Analyses one in-memory file. name is used for locations and to pick
 * the parser (a Dockerfile name, or anything else for YAML); kind forces
 * it: 'd' Dockerfile, 'y' YAML, 0 = by name, then by content. Returns 1
 * if the content was analysed (even partly), 0 if nothing could be read.
 * For the tests and the fuzz targets; errors go to rep only.
 */
int iac_analyze_buffer(const char *name, const char *data, size_t len,
                       int kind, struct wd_findings *out, struct report *rep);

#endif
