using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Paraphrase.Inference.Serving;

/// <summary>The Kestrel host of the API: model registry, batcher, champion watcher, API keys, endpoints.</summary>
public static class ServingHost
{
    /// <param name="modelSource">A model directory, an .onnx file, or a champion.json to follow.</param>
    /// <param name="urls">Where to listen, e.g. http://127.0.0.1:8080.</param>
    public static WebApplication Create(string modelSource, ServingOptions options, InferenceOptions inference, string urls, Action<string>? log = null)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Keys may also come from configuration (appsettings.json, or Paraphrase__ApiKeys__0=... in the environment).
        var configured = builder.Configuration.GetSection("Paraphrase:ApiKeys").GetChildren().Select(c => c.Value).OfType<string>();
        options = options with { ApiKeys = [.. options.ApiKeys.Concat(configured).Where(k => k.Length > 0).Distinct()] };
        if (options.ApiKeys.Count == 0 && !options.AllowAnonymous)
        {
            throw new InferenceException("No API key is configured: pass --api-key (or set PARAPHRASE_API_KEYS, or Paraphrase:ApiKeys in configuration), or --no-auth to serve without authentication.");
        }

        string model = ChampionPointer.Resolve(modelSource);
        var classifier = ParaphraseClassifier.Open(model, options: inference, log: log);
        builder.WebHost.UseUrls(urls);
        // Kestrel's own cap sits well above ours: a body we refuse with 413 is drained, so the client reads the
        // answer instead of a reset connection; only far larger bodies are cut off by Kestrel itself.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes * 16);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(inference);
        builder.Services.AddSingleton(new ModelRegistry(classifier, model));
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<MicroBatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MicroBatcher>());
        if (ChampionPointer.IsPointer(modelSource))
        {
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ChampionWatcher>(services, modelSource));
        }

        var app = builder.Build();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapParaphraseApi();
        return app;
    }
}
