using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Paraphrase.Inference.Serving;

/// <summary>The HTTP API, written once for every host (Kestrel in <c>paraphrase serve</c>, the Functions app later).</summary>
public static class ParaphraseEndpoints
{
    public static IEndpointRouteBuilder MapParaphraseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/paraphrase", Classify);
        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/api/model", (ModelRegistry models) => Results.Json(ModelDocument(models.Current)));
        app.MapGet("/metrics", (ModelRegistry models, ServingMetrics metrics) => Results.Text(metrics.Render(models.Current), "text/plain; version=0.0.4"));
        app.MapGet("/openapi.json", () => Results.Text(OpenApiDocument.Json, "application/json"));
        return app;
    }

    private static async Task<IResult> Classify(HttpContext context, MicroBatcher batcher, ModelRegistry models, ServingOptions options, ServingMetrics metrics)
    {
        var clock = Stopwatch.StartNew();
        var result = await ClassifyCore(context, batcher, models, options);
        metrics.RecordRequest(result is IStatusCodeHttpResult { StatusCode: int status } ? status : 200, clock.Elapsed.TotalSeconds);
        return result;
    }

    private static async Task<IResult> ClassifyCore(HttpContext context, MicroBatcher batcher, ModelRegistry models, ServingOptions options)
    {
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return Problems.Result(413, "Request body too large", $"The body may be at most {options.MaxBodyBytes:N0} bytes; send fewer pairs per request.");
        }

        var (pairs, error) = await RequestParser.Parse(context.Request.Body, options);
        if (error is not null)
        {
            return error;
        }

        var pending = batcher.TryEnqueue(pairs!, context.RequestAborted);
        if (pending is null)
        {
            return Problems.Result(503, "Busy", "The service is at capacity; retry shortly.", new Dictionary<string, string> { ["Retry-After"] = "1" });
        }

        Prediction[] predictions;
        try
        {
            predictions = await pending;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499); // the client went away; its pairs are still answered, to nobody
        }

        var model = models.Current;
        return Results.Json(new
        {
            model = new { id = ModelId(model), variant = Variant(model) },
            results = predictions.Select(p => new { label = p.Label == 1 ? "paraphrase" : "not_paraphrase", probability = p.Probability, truncated = p.Truncated }),
        });
    }

    private static object ModelDocument(ServedModel model)
    {
        string manifest = Path.ChangeExtension(model.Classifier.ModelPath, ".json");
        JsonNode? details = File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest)) : null;
        return new
        {
            id = ModelId(model),
            variant = Variant(model),
            source = model.Source,
            file = Path.GetFileName(model.Classifier.ModelPath),
            created = details?["created"]?.GetValue<DateTimeOffset>(),
            loaded = model.Loaded,
            execution_provider = model.Classifier.ExecutionProvider,
            parity = details?["parity"],
            metrics = details?["source_metrics"],
        };
    }

    private static string ModelId(ServedModel model) => Path.GetFileName(Path.TrimEndingDirectorySeparator(
        Directory.Exists(model.Source) ? model.Source : Path.GetDirectoryName(Path.GetFullPath(model.Classifier.ModelPath))!));

    private static string Variant(ServedModel model)
    {
        var parts = Path.GetFileNameWithoutExtension(model.Classifier.ModelPath).Split('.');
        return parts is ["model", "portable" or "fused" or "int8"] ? parts[1] : "onnx";
    }
}
