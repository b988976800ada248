/*
 * iac_yaml.c - the YAML stream of a deployment file: each document goes to
 * the Kubernetes or the compose judge (the tree is src/yaml/yaml_tree.c).
 */
#include <string.h>

#include "iac_int.h"

int iac_yaml_analyze(struct iac_ctx *c, const char *file, const char *data,
                     size_t len)
{
  struct yloader *l = yl_new(data, len);
  if(!l) {
    iac_problem(c, "%s: cannot start the YAML parser", file);
    return 0;
  }
  char err[400];
  struct ydoc d;
  int rc, ndocs = 0, exhausted = 0;
  while((rc = yl_next(l, &d, err, sizeof(err))) == 1) {
    ndocs++;
    if(!d.root)
      continue;
    if(y_get(&d, d.root, "kind"))
      iac_k8s_doc(c, file, &d, d.root, 0);
    else
      iac_compose_doc(c, file, &d);
    exhausted |= d.exhausted;
  }
  if(exhausted)
    iac_problem(c, "%s: alias or merge-key expansion stopped at its budget; "
                   "the file was analysed partly", file);
  if(rc < 0) {
    int helm = memmem(data, len, "{{", 2) != NULL;
    iac_problem(c, "%s:%s%s", file, err,
                helm ? " (a Helm template? render it with helm template and pipe it in)" : "");
  }
  yl_free(l);
  return rc < 0 && ndocs == 0 ? 0 : 1;
}
