using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Exporter;

namespace Paraphrase.Serving;

/// <summary>The HTTP API, written once for every host (Kestrel in <c>paraphrase serve</c> and <c>paraphrase host</c>, the Functions app later).</summary>
public static class ParaphraseEndpoints
{
    /// <summary>
    /// Maps the API; the handlers are public for hosts that route requests themselves (the Function App). Everything but the health check requires an API key (<see cref="ApiKeyEndpointConventions.RequireApiKey"/>).
    /// Needs <see cref="ServingServiceCollectionExtensions.AddParaphraseServing"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapParaphraseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/paraphrase", Classify).RequireApiKey();
        app.MapGet("/api/health", Health).AllowAnonymous();
        app.MapGet("/api/model", Model).RequireApiKey();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireApiKey();
        app.MapGet("/openapi.json", OpenApi).RequireApiKey();
        return app;
    }

    // Alive even without a model: the host is up and will pick up the first promotion; "ready" says whether it can answer.
    public static IResult Health(ModelRegistry models) => models.Current is { } model
        ? Results.Json(new { status = "ok", ready = true, model = new { id = model.Id, variant = model.Variant } })
        : Results.Json(new { status = "ok", ready = false, model = (object?)null });

    public static IResult Model(ModelRegistry models) => models.Current is { } model ? Results.Json(ModelDocument(model)) : Problems.NoModel();

    public static IResult OpenApi(IEnumerable<OpenApiFragment> fragments) => Results.Text(OpenApiFragment.Merge(OpenApiDocument.Json, fragments), "application/json");

    public static async Task<IResult> Classify(HttpContext context, MicroBatcher batcher, ModelRegistry models, ServingOptions options, ServingMetrics metrics)
    {
        var clock = Stopwatch.StartNew();
        var result = await ClassifyCore(context, batcher, models, options);
        metrics.RecordRequest(result is IStatusCodeHttpResult { StatusCode: int status } ? status : 200, clock.Elapsed.TotalSeconds);
        return result;
    }

    private static async Task<IResult> ClassifyCore(HttpContext context, MicroBatcher batcher, ModelRegistry models, ServingOptions options)
    {
        if (models.Current is null)
        {
            return Problems.NoModel();
        }

        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return Problems.Result(413, "Request body too large", $"The body may be at most {options.MaxBodyBytes:N0} bytes; send fewer pairs per request.");
        }

        // Kestrel's cap, for this endpoint only, sits well above ours: a body we refuse with 413 is drained, so the
        // client reads the answer instead of a reset connection; only far larger bodies are cut off by Kestrel itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = options.MaxBodyBytes * 16;
        }

        var (pairs, error) = await RequestParser.Parse(context.Request, options);
        if (error is not null)
        {
            return error;
        }

        var pending = batcher.TryEnqueue(pairs!, context.RequestAborted);
        if (pending is null)
        {
            return Problems.Result(503, "Busy", "The service is at capacity; retry shortly.", new Dictionary<string, string> { ["Retry-After"] = "1" });
        }

        ServedPrediction[] predictions;
        try
        {
            predictions = await pending;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499); // the client went away; its pairs are still answered, to nobody
        }
        catch (NoModelException)
        {
            return Problems.NoModel();
        }

        return Results.Json(Answer(predictions));
    }

    /// <summary>
    /// Names the model that computed the answers. A swap can land between two batches of one request; then the
    /// newest model is named at the top and each result names its own.
    /// </summary>
    private static object Answer(ServedPrediction[] predictions)
    {
        var newest = predictions.MaxBy(p => p.Model.Loaded).Model;
        bool mixed = predictions.Any(p => p.Model != newest);
        return new
        {
            model = new { id = newest.Id, variant = newest.Variant },
            results = predictions.Select(p => mixed ? (object)new { label = Label(p), probability = p.Prediction.Probability, truncated = p.Prediction.Truncated, model = p.Model.Id }
                : new { label = Label(p), probability = p.Prediction.Probability, truncated = p.Prediction.Truncated }),
        };
    }

    private static string Label(ServedPrediction p) => p.Prediction.Label == 1 ? "paraphrase" : "not_paraphrase";

    private static object ModelDocument(ServedModel model)
    {
        string manifest = Path.ChangeExtension(model.Classifier.ModelPath, ".json");
        JsonNode? details = File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest)) : null;
        return new
        {
            id = model.Id,
            variant = model.Variant,
            source = model.Source,
            file = Path.GetFileName(model.Classifier.ModelPath),
            created = details?["created"]?.GetValue<DateTimeOffset>(),
            loaded = model.Loaded,
            execution_provider = model.Classifier.ExecutionProvider,
            parity = details?["parity"],
            metrics = details?["source_metrics"],
        };
    }
}
