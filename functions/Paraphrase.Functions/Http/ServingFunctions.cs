using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Serving;
using Paraphrase.Serving.Management;

namespace Paraphrase.Functions.Http;

/// <summary>Inference and the service's own endpoints as HTTP functions, through the shared handlers.</summary>
public static class ServingFunctions
{
    [Function("Paraphrase")]
    public static Task<IResult> Paraphrase([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/paraphrase")] HttpRequest request, FunctionContext function)
    {
        var services = function.InstanceServices;
        return ParaphraseEndpoints.Classify(request.HttpContext, services.GetRequiredService<MicroBatcher>(), services.GetRequiredService<ModelRegistry>(),
            services.GetRequiredService<ServingOptions>(), services.GetRequiredService<ServingMetrics>());
    }

    [Function("Health")]
    public static IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, FunctionContext function) =>
        ParaphraseEndpoints.Health(function.InstanceServices.GetRequiredService<ModelRegistry>());

    [Function("Model")]
    public static IResult Model([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/model")] HttpRequest request, FunctionContext function) =>
        ParaphraseEndpoints.Model(function.InstanceServices.GetRequiredService<ModelRegistry>());

    /// <summary>
    /// The document the Kestrel hosts serve, generated from the same endpoint definitions (the routes are the same here),
    /// with this app's function keys; its server is "/", the app that serves it. Generated once per instance; a failed
    /// generation is tried again by the next request.
    /// </summary>
    [Function("OpenApi")]
    public static async Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request, FunctionContext function)
    {
        var current = _document;
        try
        {
            return TypedResults.Text(await current.Value, "application/json");
        }
        catch (Exception) when (!function.CancellationToken.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _document, NewDocument(), current);
            throw;
        }
    }

    private static Lazy<Task<string>> _document = NewDocument();

    private static Lazy<Task<string>> NewDocument() =>
        new(() => ServingOpenApi.GenerateAsync(MapApi, FunctionAppServices.FunctionsOpenApi with { Server = "/" }, CancellationToken.None));

    private static void MapApi(WebApplication app)
    {
        app.MapParaphraseApi();
        app.MapPipelineApi();
    }
}
