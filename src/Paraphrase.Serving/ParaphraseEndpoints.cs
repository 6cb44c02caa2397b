using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Exporter;

namespace Paraphrase.Serving;

/// <summary>The HTTP API, written once for every host (Kestrel in <c>paraphrase serve</c> and <c>paraphrase host</c>, the Function App).</summary>
public static class ParaphraseEndpoints
{
    /// <summary>
    /// Maps the API; the handlers are public for hosts that route requests themselves (the Function App). Everything but the health check requires an API key (<see cref="ApiKeyEndpointConventions.RequireApiKey"/>).
    /// Needs <see cref="ServingServiceCollectionExtensions.AddParaphraseServing"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapParaphraseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/paraphrase", Classify).RequireApiKey().WithName("Classify").WithTags("inference")
            .WithSummary("Classify one pair or a batch of pairs.")
            .WithMetadata(new RequestBodyDocumentation(typeof(ParaphraseRequest)))
            .Produces<ParaphraseResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/api/health", Health).AllowAnonymous().WithName("Health").WithTags("service")
            .WithSummary("Liveness; ready is false until a model is loaded.");
        app.MapGet("/api/model", Model).RequireApiKey().WithName("GetModel").WithTags("service")
            .WithSummary("The model being served: id, variant, execution provider, parity and metrics.")
            .Produces<ModelResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireApiKey();
        app.MapOpenApi(ServingOpenApi.Path).RequireApiKey();
        return app;
    }

    // Alive even without a model: the host is up and will pick up the first promotion; "ready" says whether it can answer.
    public static Ok<HealthResponse> Health([FromServices] ModelRegistry models) =>
        TypedResults.Ok(new HealthResponse("ok", models.Current is not null, models.Current is { } model ? ModelRef.Of(model) : null));

    public static IResult Model([FromServices] ModelRegistry models) => models.Current is { } model ? TypedResults.Ok(ModelDocument(model)) : Problems.NoModel();

    public static async Task<IResult> Classify(HttpContext context, [FromServices] MicroBatcher batcher, [FromServices] ModelRegistry models,
        [FromServices] ServingOptions options, [FromServices] ServingMetrics metrics)
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
            return Problems.Result(413, "Request body too large", $"The body may be at most {options.MaxBodyBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes; send fewer pairs per request.");
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

        return TypedResults.Ok(Answer(predictions));
    }

    /// <summary>
    /// Names the model that computed the answers. A swap can land between two batches of one request; then the
    /// newest model is named at the top and each result names its own.
    /// </summary>
    private static ParaphraseResponse Answer(ServedPrediction[] predictions)
    {
        var newest = predictions.MaxBy(p => p.Model.Loaded).Model;
        bool mixed = predictions.Any(p => p.Model != newest);
        return new ParaphraseResponse(ModelRef.Of(newest),
            [.. predictions.Select(p => new PairResult(Label(p), p.Prediction.Probability, p.Prediction.Truncated, mixed ? p.Model.Id : null))]);
    }

    private static string Label(ServedPrediction p) => p.Prediction.Label == 1 ? "paraphrase" : "not_paraphrase";

    private static ModelResponse ModelDocument(ServedModel model)
    {
        string manifest = Path.ChangeExtension(model.Classifier.ModelPath, ".json");
        JsonNode? details = File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest)) : null;
        return new ModelResponse(model.Id, model.Variant, model.Source, Path.GetFileName(model.Classifier.ModelPath), details?["created"]?.GetValue<DateTimeOffset>(),
            model.Loaded, model.Classifier.ExecutionProvider, details?["parity"]?.DeepClone(), details?["source_metrics"]?.DeepClone());
    }
}
