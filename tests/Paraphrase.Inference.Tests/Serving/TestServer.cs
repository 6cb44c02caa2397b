using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Paraphrase.Inference.Serving;

namespace Paraphrase.Inference.Tests.Serving;

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

    public static async Task<TestServer> StartAsync(string model, ServingOptions? options = null)
    {
        int port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var app = ServingHost.Create(model, options ?? new ServingOptions { ApiKeys = [Key] }, new InferenceOptions { ExecutionProvider = "cpu", IntraOpThreads = 1 },
            address.ToString().TrimEnd('/'));
        await app.StartAsync();
        return new TestServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
