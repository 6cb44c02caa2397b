using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline;

namespace Paraphrase.Serving;

/// <summary>
/// The API alone on Kestrel (<c>paraphrase serve</c>, the demo, tests): <see cref="ServingServiceCollectionExtensions.AddParaphraseServing"/>
/// and <see cref="ParaphraseEndpoints.MapParaphraseApi"/> on a slim host. Hosts with endpoints of their own compose those two instead.
/// </summary>
public static class ServingHost
{
    /// <param name="modelSource">A model directory, an .onnx file, or a champion.json to follow.</param>
    /// <param name="urls">Where to listen, e.g. http://127.0.0.1:8080.</param>
    /// <param name="apiKeys">Keys given outside configuration (a command line's), added to it.</param>
    public static WebApplication Create(string modelSource, ServingOptions options, InferenceOptions inference, string urls, Action<string>? log = null,
        IEnumerable<string>? apiKeys = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(ServingApiKeys.AsConfiguration(apiKeys ?? []));
        builder.Services.AddCallerOwnedLifetime();
        builder.Services.AddParaphraseServing(options, inference, modelSource, builder.Configuration, log);
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        app.MapParaphraseApi();
        return app;
    }
}
