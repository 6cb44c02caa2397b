namespace Paraphrase.Serving;

/// <summary>The service's OpenAPI 3.1 description, served at /openapi.json.</summary>
internal static class OpenApiDocument
{
    public const string Json = """
        {
          "openapi": "3.1.0",
          "info": { "title": "Paraphrase classifier", "version": "1.0.0",
                    "description": "Is the second sentence a paraphrase of the first? A fine-tuned BERT served by ONNX Runtime." },
          "components": {
            "securitySchemes": {
              "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" },
              "bearer": { "type": "http", "scheme": "bearer" }
            },
            "schemas": {
              "Pair": { "type": "object", "required": ["sentence1", "sentence2"],
                        "properties": { "sentence1": { "type": "string", "minLength": 1 }, "sentence2": { "type": "string", "minLength": 1 } } },
              "Request": { "oneOf": [
                { "$ref": "#/components/schemas/Pair" },
                { "type": "object", "required": ["pairs"], "properties": { "pairs": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/Pair" } } } } ] },
              "Result": { "type": "object", "properties": {
                "label": { "type": "string", "enum": ["paraphrase", "not_paraphrase"] },
                "probability": { "type": "number", "description": "Probability that the pair is a paraphrase." },
                "truncated": { "type": "boolean", "description": "The pair was longer than the model's maximum length." },
                "model": { "type": "string", "description": "Only when a model swap split the request: the id of the model that answered this pair." } } },
              "Response": { "type": "object", "properties": {
                "model": { "$ref": "#/components/schemas/ModelRef", "description": "The model that computed the results (the newest, if a swap split the request)." },
                "results": { "type": "array", "items": { "$ref": "#/components/schemas/Result" }, "description": "In request order." } } },
              "Health": { "type": "object", "properties": {
                "status": { "type": "string", "enum": ["ok"] },
                "ready": { "type": "boolean", "description": "A model is loaded and requests are answered." },
                "model": { "oneOf": [ { "type": "null" }, { "$ref": "#/components/schemas/ModelRef" } ] } } },
              "ModelRef": { "type": "object", "properties": { "id": { "type": "string" }, "variant": { "type": "string" } } },
              "Problem": { "type": "object", "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" } } }
            }
          },
          "security": [ { "apiKey": [] }, { "bearer": [] } ],
          "paths": {
            "/api/paraphrase": { "post": {
              "summary": "Classify one pair or a batch of pairs.",
              "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
              "responses": {
                "200": { "description": "Predictions", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Response" } } } },
                "400": { "description": "Malformed request", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
                "401": { "description": "Missing or invalid API key" },
                "413": { "description": "Body too large" },
                "415": { "description": "Body not sent as JSON (Content-Type: application/json, UTF-8)" },
                "503": { "description": "At capacity, or no model promoted yet; see Retry-After" } } } },
            "/api/health": { "get": { "summary": "Liveness; ready is false until a model is loaded.", "security": [], "responses": { "200": { "description": "Alive",
              "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } } } } },
            "/api/model": { "get": { "summary": "The model being served.", "responses": {
              "200": { "description": "Model id, variant, provider, parity and metrics" },
              "503": { "description": "No model promoted yet; see Retry-After" } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics.", "responses": { "200": { "description": "Text exposition format" } } } }
          }
        }
        """;
}
