/*
 * chk_llm.c - LLM endpoints, passive (every scan, read-only).
 *
 * Recognised: an OpenAI-compatible model list (GET /v1/models: "object":
 * "list" with items of "object": "model"), an Ollama model list (GET
 * /api/tags: "models" with "name" and "digest"), and a completion answer
 * on any route (a JSON object with a "choices" array and a "model" or a
 * "usage" object), including app routes such as GET /chat?q= and /ask?q=.
 * plan asks those places without credentials; judge reads every answered
 * GET, whoever queued it.
 *
 *  - llm.unauthenticated-access (high): a model list or a completion
 *    answered to a request that carried no credential;
 *  - llm.usage-disclosure (low): an app route (not the /v1 or /api model
 *    API itself) hands out the model name and the token usage;
 *  - llm.system-prompt-leak (high): an answer holds a message whose role
 *    is "system" (or a system_prompt/systemPrompt member) with its text.
 * Prompt-injection probes need POST and belong to --active.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_UNAUTH, R_USAGE, R_SYSPROMPT };

static const struct wd_rule llm_rules[] = {
  [R_UNAUTH] = {
    .id = "llm.unauthenticated-access",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 306,
    .title = "LLM endpoint answers without credentials",
    .summary = "A model list or a completion is served to a request with no credential: anyone can use (and bill) the model",
    .remediation = "Require an API key or token on every model route (OpenAI-compatible servers: --api-key; Ollama: bind to loopback and put an authenticating proxy in front).",
  },
  [R_USAGE] = {
    .id = "llm.usage-disclosure",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_DATA,
    .owasp = "API3:2023",
    .cwe = 200,
    .title = "Model name and token usage disclosed",
    .summary = "An application route relays the model's raw answer: the model name and the token usage of each request",
    .remediation = "Return only the answer text from application routes; keep model names and usage in server-side logs.",
  },
  [R_SYSPROMPT] = {
    .id = "llm.system-prompt-leak",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_DATA,
    .owasp = "API3:2023",
    .cwe = 200,
    .title = "System prompt in a response",
    .summary = "An answer holds the system prompt (a message with role \"system\", or a system_prompt member): the instructions and whatever secrets they carry",
    .remediation = "Never return the conversation sent to the model; return the assistant's reply alone, and keep secrets out of prompts.",
  },
};

extern const struct wd_check check_llm;

static const char *const llm_paths[] = {
  "/v1/models", "/api/tags", "/chat?q=hello", "/ask?q=hello", "/api/chat?q=hello",
  "/api/v1/chat?q=hello", NULL,
};

#define LLM_MAX_BODY (512 * 1024)

enum llm_kind { LLM_NONE, LLM_MODELS, LLM_COMPLETION };

static void llm_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->no_discovery)
    return;
  for(int i = 0; llm_paths[i]; i++)
    scan_queue_as(s, "GET", llm_paths[i], PROBE_WELLKNOWN, &check_llm, 1,
                  scan_has_cred(s) ? ID_NONE : ID_MAIN, NULL, NULL);
}

static enum llm_kind llm_kind(json_t *j, const char **model)
{
  *model = NULL;
  if(!json_is_object(j))
    return LLM_NONE;
  json_t *data = json_object_get(j, "data");
  json_t *obj = json_object_get(j, "object");
  if(json_is_string(obj) && !strcmp(json_string_value(obj), "list") && json_is_array(data) &&
     json_array_size(data) > 0) {
    json_t *m = json_array_get(data, 0);
    json_t *o = json_object_get(m, "object");
    if(json_is_string(o) && !strcmp(json_string_value(o), "model")) {
      json_t *id = json_object_get(m, "id");
      *model = json_is_string(id) ? json_string_value(id) : NULL;
      return LLM_MODELS;
    }
  }
  json_t *models = json_object_get(j, "models");
  if(json_is_array(models) && json_array_size(models) > 0) {
    json_t *m = json_array_get(models, 0);
    json_t *name = json_object_get(m, "name");
    if(json_is_string(name) && json_object_get(m, "digest")) {
      *model = json_string_value(name);
      return LLM_MODELS;
    }
  }
  json_t *choices = json_object_get(j, "choices");
  json_t *model_v = json_object_get(j, "model");
  json_t *usage = json_object_get(j, "usage");
  if(json_is_array(choices) && (json_is_string(model_v) || json_is_object(usage))) {
    *model = json_is_string(model_v) ? json_string_value(model_v) : NULL;
    return LLM_COMPLETION;
  }
  /* Ollama /api/generate and /api/chat. */
  if(json_is_string(model_v) && (json_object_get(j, "response") || json_object_get(j, "message")) &&
     json_object_get(j, "eval_count")) {
    *model = json_string_value(model_v);
    return LLM_COMPLETION;
  }
  return LLM_NONE;
}

/* A system prompt in the answer: a {"role":"system","content":"..."}
 * object or a system_prompt/systemPrompt string, at most depth 6. */
static const char *llm_system_text(json_t *j, int depth)
{
  if(depth > 6 || !j)
    return NULL;
  if(json_is_object(j)) {
    json_t *role = json_object_get(j, "role");
    json_t *content = json_object_get(j, "content");
    if(json_is_string(role) && !strcmp(json_string_value(role), "system") &&
       json_is_string(content) && json_string_length(content) >= 8)
      return json_string_value(content);
    static const char *const keys[] = {"system_prompt", "systemPrompt", "system_message", NULL};
    for(int k = 0; keys[k]; k++) {
      json_t *v = json_object_get(j, keys[k]);
      if(json_is_string(v) && json_string_length(v) >= 8)
        return json_string_value(v);
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
      const char *t = llm_system_text(v, depth + 1);
      if(t)
        return t;
    }
  } else if(json_is_array(j)) {
    for(size_t i = 0; i < json_array_size(j) && i < 64; i++) {
      const char *t = llm_system_text(json_array_get(j, i), depth + 1);
      if(t)
        return t;
    }
  }
  return NULL;
}

static int llm_anonymous(const struct scan *s, const struct probe *p)
{
  return p->ident == ID_NONE || (p->ident == ID_MAIN && !scan_has_cred(s));
}

static void llm_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(!http_answered(&p->x) || strcmp(p->x.method, "GET") || (p->flags & PROBE_BURST))
    return;
  /* An LLM place that refuses a request without a credential was judged
   * for access; one that answers is judged below. A 404 judged nothing. */
  if(p->origin == &check_llm && (p->x.status == 401 || p->x.status == 403) && llm_anonymous(s, p))
    scan_ran(s, &llm_rules[R_UNAUTH]);
  if(!scan_is_hit(s, p) || p->x.body.len < 2 || p->x.body.len > LLM_MAX_BODY)
    return;
  const char *b = buf_str(&p->x.body);
  if(b[strspn(b, " \t\r\n")] != '{')
    return;
  json_error_t e;
  json_t *j = json_loadb(b, p->x.body.len, 0, &e);
  if(!j)
    return;
  const char *model;
  enum llm_kind k = llm_kind(j, &model);
  if(k == LLM_NONE) {
    json_decref(j);
    return;
  }
  for(size_t r = 0; r < ARRAY_LEN(llm_rules); r++)
    scan_ran(s, &llm_rules[r]);
  char ev[400];
  if(llm_anonymous(s, p)) {
    snprintf(ev, sizeof(ev), "no credential sent; GET %.120s -> %ld, %s%s%.60s", p->path,
             p->x.status, k == LLM_MODELS ? "a model list" : "a completion",
             model ? ", model " : "", model ? model : "");
    scan_flag(s, p, &llm_rules[R_UNAUTH], -1, NULL, ev, 0, 0, "llm-unauth");
  }
  json_t *usage = json_object_get(j, "usage");
  int model_api = str_starts_with(p->path, "/v1/") || str_starts_with(p->path, "/api/tags") ||
                  str_starts_with(p->path, "/api/generate");
  if(k == LLM_COMPLETION && !model_api && model && json_is_object(usage)) {
    json_t *tt = json_object_get(usage, "total_tokens");
    snprintf(ev, sizeof(ev), "GET %.120s answers with the model (%.60s) and its token usage "
             "(total_tokens %lld)", p->path, model, json_is_integer(tt) ? (long long)json_integer_value(tt) : -1LL);
    scan_flag(s, p, &llm_rules[R_USAGE], -1, NULL, ev, 0, 0, "llm-usage");
  }
  const char *sys = llm_system_text(j, 0);
  if(sys) {
    /* The excerpt opens on the prompt's first words where they are
     * written as they are (no escape in them). */
    char head[24];
    snprintf(head, sizeof(head), "%.20s", sys);
    const char *at = strpbrk(head, "\"\\\n") ? NULL : str_find(b, p->x.body.len, head);
    if(!at)
      at = str_find(b, p->x.body.len, "\"system\"");
    size_t off = at ? (size_t)(at - b) : 0;
    char *ex = str_excerpt(b, p->x.body.len, off > 20 ? off - 20 : 0, 200);
    snprintf(ev, sizeof(ev), "the answer holds a system prompt (%zu characters): %s", strlen(sys), ex);
    free(ex);
    scan_flag(s, p, &llm_rules[R_SYSPROMPT], -1, NULL, ev, 0, 0, "llm-sysprompt");
  }
  json_decref(j);
}

const struct wd_check check_llm = {
  .name = "llm",
  .summary = "LLM endpoints: model access without credentials, usage disclosure, system prompts in answers",
  .rules = llm_rules,
  .nrules = ARRAY_LEN(llm_rules),
  .plan = llm_plan,
  .judge = llm_judge,
};
