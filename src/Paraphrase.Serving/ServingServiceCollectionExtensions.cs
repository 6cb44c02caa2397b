using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Paraphrase.Serving;

/// <summary>The services behind the HTTP API, for any host to compose with its own (eShop's Add…/Map… style).</summary>
public static class ServingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model registry, admission control, metrics (exported through OpenTelemetry), micro-batcher, champion watcher, options and the API key check.
    /// </summary>
    /// <param name="modelSource">
    /// A model directory, an .onnx file, or a champion.json to follow. A champion.json that does not exist yet, or
    /// null, starts the service without a model (503 until one is promoted); a missing model directory is an error.
    /// </param>
    /// <param name="configuration">Where the API keys are (<see cref="ServingApiKeys"/>), e.g. the host builder's.</param>
    /// <param name="log">Told which execution provider the first model runs on.</param>
    /// <param name="openApi">How the OpenAPI document names the host's address and key header; the Kestrel hosts' by default.</param>
    /// <exception cref="InferenceException">No API key and no <see cref="ServingOptions.AllowAnonymous"/>, or the model does not load.</exception>
    public static IServiceCollection AddParaphraseServing(this IServiceCollection services, ServingOptions options, InferenceOptions inference,
        string? modelSource, IConfiguration? configuration = null, Action<string>? log = null, OpenApiHostDescription? openApi = null)
    {
        var keys = ServingApiKeys.Read(configuration);
        if (keys.Count == 0 && !options.AllowAnonymous)
        {
            throw new InferenceException("No API key is configured: pass --api-key (or set PARAPHRASE_API_KEYS, or Paraphrase:ApiKeys in configuration), or --no-auth to serve without authentication.");
        }

        // The first model is loaded here, not lazily, so that a broken one stops the host before it listens.
        string? model = modelSource is null ? null : ChampionPointer.TryResolve(modelSource);
        var registry = model is null ? new ModelRegistry() : new ModelRegistry(ParaphraseClassifier.Open(model, options: inference, log: log), model);

        services.AddSingleton(options);
        services.AddSingleton(inference);
        services.AddSingleton(_ => registry); // through a factory, so that the container disposes it
        services.AddSingleton<AdmissionControl>();
        services.AddSingleton<ServingMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ServingMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the figures of now
        services.AddSingleton<MicroBatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<MicroBatcher>());
        if (modelSource is not null && ChampionPointer.IsPointer(modelSource))
        {
            services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ChampionWatcher>(provider, modelSource));
        }

        services.AddSingleton(openApi ??= new OpenApiHostDescription());
        services.AddParaphraseOpenApi(openApi);
        services.AddSingleton(new ApiKeyVerifier(keys, options));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyEndpointConventions.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyEndpointConventions.Policy,
            policy => policy.AddAuthenticationSchemes(ApiKeyEndpointConventions.Scheme).RequireAuthenticatedUser());
        return services;
    }
}
