using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Serving;

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

    [Function("OpenApi")]
    public static IResult OpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request, FunctionContext function) =>
        ParaphraseEndpoints.OpenApi(function.InstanceServices.GetServices<OpenApiFragment>());
}
