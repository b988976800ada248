/*
 * cli_config.c - the config file: .warden.yml in the working directory,
 * or --config FILE. Its keys are the commands' long option names;
 * top-level keys are the report options every command shares, and the
 * sections scan:, iac: and inspect: hold each command's own:
 *
 *   fail-on: high
 *   report: [sarif:warden.sarif, html:warden.html]
 *   scan:
 *     concurrency: 8
 *     header: ["X-Env: staging"]
 *     no-discovery: true
 *
 * The file's options go before the command line's, so a value given on
 * the command line wins (repeatable ones add up). Unknown keys and bad
 * values are errors naming the file and line. Parsed with libyaml.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../core/core_alloc.h"
#include "../core/core_file.h"
#include "cli.h"
#include "cli_opts.h"

#define CONFIG_MAX_BYTES (1024 * 1024)
#define CONFIG_MAX_ARGS 1024

static const char *const sections[] = {"scan", "iac", "inspect", NULL};

struct cfg {
  const char *path;
  yaml_document_t *doc;
  char **args;
  int n;
  size_t cap;
  char *err; /* the first error: "path:line: reason" */
  size_t errlen;
};

static void cfg_err(struct cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cfg_err(struct cfg *c, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
}

static void cfg_push(struct cfg *c, char *s)
{
  c->args = xgrow(c->args, &c->cap, (size_t)c->n + 1, sizeof(char *));
  c->args[c->n++] = s;
}

static int scalar_is(const yaml_node_t *v, const char *s)
{
  return v->type == YAML_SCALAR_NODE && strcmp((const char *)v->data.scalar.value, s) == 0;
}

/* One key: value of the file, turned into --key=value arguments. */
static int cfg_option(struct cfg *c, const struct cli_opt *o, const char *key,
                      yaml_node_t *val, size_t line)
{
  if(o->arg == CLI_NOARG) {
    if(scalar_is(val, "true") || scalar_is(val, "yes")) {
      cfg_push(c, xasprintf("--%s", key));
      return 0;
    }
    if(scalar_is(val, "false") || scalar_is(val, "no"))
      return 0;
    cfg_err(c, "%s:%zu: %s: expected true or false", c->path, line, key);
    return -1;
  }
  if(val->type == YAML_SCALAR_NODE) {
    const char *s = (const char *)val->data.scalar.value;
    if(strlen(s) != val->data.scalar.length) {
      cfg_err(c, "%s:%zu: %s: the value holds a NUL byte", c->path, line, key);
      return -1;
    }
    cfg_push(c, xasprintf("--%s=%s", key, s));
    return 0;
  }
  if(val->type == YAML_SEQUENCE_NODE) {
    for(yaml_node_item_t *it = val->data.sequence.items.start;
        it < val->data.sequence.items.top; it++) {
      yaml_node_t *e = yaml_document_get_node(c->doc, *it);
      if(!e || e->type != YAML_SCALAR_NODE) {
        cfg_err(c, "%s:%zu: %s: a list of plain values is expected", c->path,
                  (e ? e->start_mark.line : line - 1) + 1, key);
        return -1;
      }
      if(c->n >= CONFIG_MAX_ARGS) {
        cfg_err(c, "%s:%zu: more than %d options", c->path, line, CONFIG_MAX_ARGS);
        return -1;
      }
      cfg_push(c, xasprintf("--%s=%s", key, (const char *)e->data.scalar.value));
    }
    return 0;
  }
  cfg_err(c, "%s:%zu: %s: a value or a list of values is expected", c->path, line, key);
  return -1;
}

static int cfg_mapping(struct cfg *c, yaml_node_t *map, unsigned bit, const char *cmd,
                       int top)
{
  for(yaml_node_pair_t *pr = map->data.mapping.pairs.start;
      pr < map->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
    yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
    size_t line = (k ? k->start_mark.line : 0) + 1;
    if(!k || k->type != YAML_SCALAR_NODE || !v) {
      cfg_err(c, "%s:%zu: keys are option names", c->path, line);
      return -1;
    }
    const char *key = (const char *)k->data.scalar.value;
    if(top) {
      size_t s;
      for(s = 0; sections[s]; s++)
        if(strcmp(sections[s], key) == 0)
          break;
      if(sections[s]) {
        if(v->type != YAML_MAPPING_NODE) {
          cfg_err(c, "%s:%zu: %s: a mapping of %s options is expected", c->path, line, key, key);
          return -1;
        }
        /* Another command's section: its keys are checked when it runs. */
        if(strcmp(key, cmd) == 0 && cfg_mapping(c, v, bit, cmd, 0))
          return -1;
        continue;
      }
    }
    /* Top-level keys are the report options every command shares. */
    const struct cli_opt *o = strcmp(key, "help") ? cli_opt_find(bit, key) : NULL;
    if(o && top && !(o->flags & CLI_REPORT))
      o = NULL;
    if(!o) {
      if(top && strcmp(key, "help") && cli_opt_find(bit, key))
        cfg_err(c, "%s:%zu: '%s' belongs in the '%s:' section", c->path, line, key, cmd);
      else
        cfg_err(c, "%s:%zu: unknown key '%s'%s", c->path, line, key,
                  top ? " (top-level keys are the report options; a command's own go under scan:, iac: or inspect:)"
                      : "");
      return -1;
    }
    /* Writing to the target is the user's decision on the command line,
     * never a file's that happens to lie in the working directory. */
    if(o->flags & CLI_ARGV_ONLY) {
      cli_error("%s:%zu: %s: only on the command line (it lets warden change the target)",
                c->path, line, key);
      return -1;
    }
    if(cfg_option(c, o, key, v, line))
      return -1;
  }
  return 0;
}

/* Parses the config text: its options for cmd become --key=value
 * arguments appended to c->args. */
static int cfg_parse(struct cfg *c, const char *text, size_t len, const char *cmd)
{
  yaml_parser_t p;
  yaml_document_t doc;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  int rc = -1;
  if(!yaml_parser_load(&p, &doc)) {
    cfg_err(c, "%s:%zu: %s", c->path, p.problem_mark.line + 1, p.problem ? p.problem : "invalid YAML");
    yaml_parser_delete(&p);
    return -1;
  }
  c->doc = &doc;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if(!root || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0))
    rc = 0;
  else if(root->type != YAML_MAPPING_NODE)
    cfg_err(c, "%s:%zu: expected a mapping of option names", c->path, root->start_mark.line + 1);
  else
    rc = cfg_mapping(c, root, cli_cmd_bit(cmd), cmd, 1);
  c->doc = NULL;
  yaml_document_delete(&doc);
  yaml_parser_delete(&p);
  return rc;
}

int cli_config_parse(const char *text, size_t len, const char *name, const char *cmd,
                     int *nargs, char ***args, char *err, size_t errlen)
{
  struct cfg c = {name, NULL, NULL, 0, 0, err, errlen};
  if(cfg_parse(&c, text, len, cmd)) {
    cli_config_free(c.n, c.args);
    return -1;
  }
  *nargs = c.n;
  *args = c.args;
  return 0;
}

static int cfg_load(struct cfg *c, const char *cmd)
{
  FILE *f = fopen(c->path, "rb");
  if(!f) {
    cfg_err(c, "%s: cannot read: %s", c->path, strerror(errno));
    return -1;
  }
  char rerr[256];
  size_t len = 0;
  char *text = file_read_all(f, CONFIG_MAX_BYTES, &len, rerr, sizeof(rerr));
  fclose(f);
  int rc = -1;
  if(!text)
    cfg_err(c, "%s: %s", c->path, rerr);
  else
    rc = cfg_parse(c, text, len, cmd);
  free(text);
  return rc;
}

int cli_config_args(int argc, char **argv, int *nargc, char ***nargv)
{
  char err[1024] = "";
  struct cfg c = {NULL, NULL, NULL, 0, 0, err, sizeof(err)};
  cfg_push(&c, xstrdup(argv[0]));
  const char *given = NULL;
  int skip = -1; /* index of --config's value, if separate */
  for(int i = 1; i < argc; i++) {
    if(strcmp(argv[i], "--") == 0)
      break;
    if(strcmp(argv[i], "--config") == 0) {
      if(i + 1 >= argc) {
        cli_error("--config: no FILE given");
        cli_config_free(c.n, c.args);
        return -1;
      }
      given = argv[i + 1];
      skip = i;
      break;
    }
    if(strncmp(argv[i], "--config=", 9) == 0) {
      given = argv[i] + 9;
      skip = i;
      break;
    }
  }
  struct stat st;
  c.path = given ? given : stat(".warden.yml", &st) == 0 ? ".warden.yml" : NULL;
  if(c.path && cfg_load(&c, argv[0])) {
    cli_error("%s", err);
    cli_config_free(c.n, c.args);
    return -1;
  }
  for(int i = 1; i < argc; i++) {
    if(i == skip) {
      if(strcmp(argv[i], "--config") == 0)
        i++;
      continue;
    }
    cfg_push(&c, xstrdup(argv[i]));
  }
  cfg_push(&c, NULL);
  *nargc = c.n - 1;
  *nargv = c.args;
  return 0;
}

void cli_config_free(int argc, char **argv)
{
  if(!argv)
    return;
  for(int i = 0; i < argc; i++)
    free(argv[i]);
  free(argv);
}

int cli_config(int argc, char **argv)
{
  if(argc >= 2 && !strcmp(argv[1], "options")) {
    int md = argc == 4 && !strcmp(argv[2], "--format") && !strcmp(argv[3], "md");
    if(argc != 2 && !md) {
      cli_error("config options: expected nothing or --format md");
      return EXIT_USAGE;
    }
    cli_opts_print(stdout, md);
    return EXIT_CLEAN; /* main checks that stdout took it (cli_stdout_done) */
  }
  if(argc < 2 || strcmp(argv[1], "print")) {
    fputs("usage: warden config print [scan|iac|inspect] [--config FILE] [options]\n"
          "       warden config options [--format md]\n"
          "`print` prints the options a command would run with: the config file's\n"
          "(.warden.yml, or --config FILE) and then the command line's, which\n"
          "win; secret values masked. `options` lists every option of scan, iac\n"
          "and inspect (command, long and short name, value), or as the Markdown\n"
          "tables of docs/cli.md.\n", argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
    return argc >= 2 && !strcmp(argv[1], "--help") ? EXIT_CLEAN : EXIT_USAGE;
  }
  const char *cmd = "scan";
  int first = 2;
  if(argc > 2 && argv[2][0] != '-') {
    cmd = argv[2];
    first = 3;
  }
  unsigned bit = cli_cmd_bit(cmd);
  if(!bit) {
    cli_error("config print: '%s' is not one of scan, iac, inspect", cmd);
    return EXIT_USAGE;
  }
  /* argv for the command: its name, then the rest. */
  int n = argc - first + 1;
  char **a = xcalloc((size_t)n + 1, sizeof(char *));
  a[0] = (char *)cmd;
  for(int i = first; i < argc; i++)
    a[i - first + 1] = argv[i];
  int nargc;
  char **nargv;
  int rc = cli_config_args(n, a, &nargc, &nargv);
  free(a);
  if(rc)
    return EXIT_USAGE;
  printf("# warden %s: effective options (config file, then command line)\n", cmd);
  cli_print_options_yaml(stdout, nargc - 1, nargv + 1, bit);
  cli_config_free(nargc, nargv);
  return EXIT_CLEAN;
}
