using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paraphrase.Serving;

namespace Paraphrase.Serving.Tests;

/// <summary>The API on an app that has endpoints of its own (the pipeline's), all behind the same keys.</summary>
public sealed class ComposedHostTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartComposedAsync(Path.Combine(Reference.Directory, "model.torch.onnx"), app =>
    {
        var pipeline = app.MapGroup("/api/pipeline").RequireApiKey();
        pipeline.MapGet("/status", () => Results.Json(new { state = "idle" }));
        pipeline.MapPost("/runs", (RunRequest request) => Results.Json(new { accepted = request.Dataset }));
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnotherEndpointGroupNeedsTheSameKeys()
    {
        var anonymous = await _server.Anonymous.GetAsync("/api/pipeline/status");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/pipeline/status") { Headers = { { "X-API-Key", "nope" } } };
        var wrongKey = await _server.Anonymous.SendAsync(wrong);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/pipeline/status") { Headers = { { "Authorization", $"Bearer {TestServer.Key}" } } };
        var bearerKey = await _server.Anonymous.SendAsync(bearer);
        var withKey = await _server.Client.GetAsync("/api/pipeline/status");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Contains("API key is required", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearerKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Contains("idle", await withKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeyIsCheckedBeforeTheBodyIsRead()
    {
        // Malformed JSON would be a 400 from parameter binding; without a key it must not get that far.
        var anonymous = await _server.Anonymous.PostAsync("/api/pipeline/runs", new StringContent("{not json", Encoding.UTF8, "application/json"));
        var withKey = await _server.Client.PostAsJsonAsync("/api/pipeline/runs", new RunRequest("mrpc"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task TheParaphraseApiWorksBesideIt()
    {
        var answer = await _server.Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "The cat sat.", sentence2 = "A cat was sitting." });
        var anonymous = await _server.Anonymous.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "The cat sat.", sentence2 = "A cat was sitting." });
        var health = await _server.Anonymous.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    public sealed record RunRequest(string Dataset);
}
