"""gen_spec.py OUT NOPS: a generated OpenAPI 3 document of NOPS GET
operations /q<i>, each with an operationId, a summary, a tag, two query
parameters and a $ref response schema, in JSON as generators write it.
"""
import json
import sys

out, nops = sys.argv[1], int(sys.argv[2])
paths = {}
i = 0
while len(paths) < nops:
    p = "/q%d" % i
    paths[p] = {"get": {
        "operationId": "get%d" % i, "summary": "item %d" % i, "tags": ["t%d" % (i % 10)],
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                       {"name": "q", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Item"}}}}}}}
    i += 1
doc = {"openapi": "3.0.3", "info": {"title": "bench", "version": "1"},
       "servers": [{"url": "/"}], "paths": paths,
       "components": {"schemas": {"Item": {"type": "object", "required": ["id"], "properties": {
           "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
           "count": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}}}}}
with open(out, "w") as f:
    json.dump(doc, f)
