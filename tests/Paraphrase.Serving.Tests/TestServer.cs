using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Serving;

namespace Paraphrase.Serving.Tests;

/// <summary>The real service on Kestrel, bound to a free port on 127.0.0.1.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Key = "test-key";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Add("X-API-Key", Key);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    /// <summary>A client that sends the API key.</summary>
    public HttpClient Client { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous { get; }

    private static readonly InferenceOptions Inference = new() { ExecutionProvider = "cpu", IntraOpThreads = 1 };

    public static async Task<TestServer> StartAsync(string model, ServingOptions? options = null)
    {
        var app = ServingHost.Create(model, options ?? new ServingOptions(), Inference, AnyPort, apiKeys: [Key]);
        await app.StartAsync();
        return new TestServer(app, BoundAddress(app));
    }

    /// <summary>The API composed into a host of its own, the way <c>paraphrase host</c> does, with more endpoints (and their services) beside it.</summary>
    public static async Task<TestServer> StartComposedAsync(string? model, Action<WebApplication> mapMore, Action<IServiceCollection>? addMore = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(AnyPort);
        builder.Configuration.AddInMemoryCollection(ServingApiKeys.AsConfiguration([Key]));
        builder.Services.AddParaphraseServing(new ServingOptions(), Inference, model, builder.Configuration);
        addMore?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapParaphraseApi();
        mapMore(app);
        await app.StartAsync();
        return new TestServer(app, BoundAddress(app));
    }

    /// <summary>Every endpoint the server maps.</summary>
    public IEnumerable<Microsoft.AspNetCore.Http.Endpoint> Endpoints =>
        _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;

    /// <summary>This server's figures from <c>/metrics</c>.</summary>
    public async Task<PrometheusText> MetricsAsync() =>
        new(await Client.GetStringAsync("/metrics"), _app.Services.GetRequiredService<ServingMetrics>().Server);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Kestrel picks a free port itself: no window between finding one and binding it.
    private const string AnyPort = "http://127.0.0.1:0";

    private static Uri BoundAddress(WebApplication app) => new(app.Urls.Single());
}
