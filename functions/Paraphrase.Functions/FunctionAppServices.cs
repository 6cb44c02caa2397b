using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Triggers;
using Paraphrase.Serving;
using Paraphrase.Serving.Management;

namespace Paraphrase.Functions;

/// <summary>What the Function App composes: the pipeline's services and the serving side, as the local host does.</summary>
public static class FunctionAppServices
{
    /// <summary>How the OpenAPI document describes this app: function keys, and metrics in Application Insights rather than at /metrics.</summary>
    public static OpenApiHostDescription FunctionsOpenApi { get; } = new(ApiKeyHeader: "x-functions-key", AcceptsBearer: false, ServesMetrics: false);

    public static IServiceCollection AddParaphraseFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        var pipeline = FunctionAppSettings.ReadPipeline(configuration);
        services.AddParaphrasePipeline(pipeline, FunctionAppSettings.ConnectArtifacts(configuration));

        // Triggers here are functions, not polling loops: the watcher and scheduler are called by them.
        services.AddSingleton<DatasetWatcher>();
        services.AddSingleton<RetrainingScheduler>();

        // Each instance serves the champion, following models/champion.json into its local cache.
        services.AddSingleton<ChampionFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ChampionFollower>());

        // The platform's function keys guard the HTTP functions (authLevel function), so the API's own keys are not needed here.
        services.AddParaphraseServing(new ServingOptions { AllowAnonymous = true }, pipeline.Inference, Path.Combine(pipeline.CacheDirectory, "champion.json"), configuration,
            openApi: FunctionsOpenApi);
        return services;
    }
}
