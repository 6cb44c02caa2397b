using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Paraphrase.Pipeline.Api;

namespace Paraphrase.Serving.Management;

/// <summary>
/// A run's files over HTTP (report.md, metrics.json, plots, the model and its export), for the dashboard's artifact
/// links: <c>GET /api/pipeline/runs/{id}/artifacts</c> lists them, <c>…/artifacts/{path}</c> reads one. Only paths
/// inside the run's own folder can be named, and files are served with a fixed set of content types, none of which a
/// browser runs as a page: the dashboard keeps its API key in this origin.
/// </summary>
public static class RunArtifactEndpoints
{
    /// <summary>Maps the two endpoints onto the management API's group (<see cref="PipelineEndpoints.MapPipelineApi"/>).</summary>
    public static RouteGroupBuilder MapRunArtifacts(this RouteGroupBuilder group)
    {
        group.MapGet("/runs/{id}/artifacts", ListArtifactsAsync).WithName("ListRunArtifacts").WithSummary("A run's files.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/runs/{id}/artifacts/{**path}", GetArtifactAsync).WithName("GetRunArtifact").WithSummary("One of a run's files.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream", additionalContentTypes: ["application/json", "text/markdown", "text/plain", "image/png"])
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<RunArtifactList>, ProblemHttpResult>> ListArtifactsAsync(string id, [FromServices] RunArtifacts artifacts, CancellationToken cancellationToken)
    {
        var files = await artifacts.ListAsync(id, cancellationToken);
        return files.Count == 0
            ? TypedResults.Problem($"No run '{id}', or it has no files yet. List runs with GET /api/pipeline/runs.", statusCode: 404, title: "Not found")
            : TypedResults.Ok(new RunArtifactList(id, files));
    }

    public static async Task<IResult> GetArtifactAsync(string id, string? path, [FromServices] RunArtifacts artifacts, HttpContext context, CancellationToken cancellationToken)
    {
        RunArtifactContent? file;
        try
        {
            file = await artifacts.OpenAsync(id, path ?? "", cancellationToken);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 400, title: "Bad request");
        }

        if (file is null)
        {
            return TypedResults.Problem($"Run '{id}' has no file '{path}'. List its files with GET /api/pipeline/runs/{id}/artifacts.", statusCode: 404, title: "Not found");
        }

        context.Response.RegisterForDisposeAsync(file);
        var (contentType, inline) = ContentTypeOf(file.Path);
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
        string etag = file.ETag.StartsWith('"') ? file.ETag : $"\"{file.ETag}\"";
        return TypedResults.Stream(file.Content, contentType, inline ? null : Path.GetFileName(file.Path), file.LastModified, new EntityTagHeaderValue(etag));
    }

    /// <summary>
    /// The content type of a run file, and whether a browser may show it in place: JSON, Markdown, text and PNG do;
    /// anything else (the model's weights, ONNX files, checkpoints) is a download.
    /// </summary>
    public static (string ContentType, bool Inline) ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => ("application/json; charset=utf-8", true),
        ".jsonl" => ("application/x-ndjson; charset=utf-8", true),
        ".md" => ("text/markdown; charset=utf-8", true),
        ".txt" or ".tsv" or ".csv" or ".log" => ("text/plain; charset=utf-8", true),
        ".png" => ("image/png", true),
        _ => ("application/octet-stream", false),
    };
}
