using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paraphrase.Core.Artifacts;
using Paraphrase.Serving;

namespace Paraphrase.Serving.Tests;

/// <summary>The pipeline's host starts before anything is promoted: no model is a state the service answers in, not an error.</summary>
public sealed class ServingWithoutModelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-serving-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AChampionThatDoesNotExistYetIsServedAsSoonAsItIsWritten()
    {
        string champion = Path.Combine(_directory, "champion.json");
        await using var server = await TestServer.StartAsync(champion, new ServingOptions { ChampionPollInterval = TimeSpan.FromMilliseconds(100) });

        var refused = await Classify(server);
        var model = await server.Client.GetAsync("/api/model");
        using (var health = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/api/health")))
        {
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.False(health.RootElement.GetProperty("ready").GetBoolean());
            Assert.Equal(JsonValueKind.Null, health.RootElement.GetProperty("model").ValueKind);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.Contains("Retry-After"));
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Contains("no model has been promoted yet", problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, model.StatusCode);
        Assert.Equal(0, (await server.MetricsAsync()).Value("paraphrase_model_loaded"));

        CopyModel("first");
        new ChampionPointerFile { Model = "first", RunId = "run-1", Variant = "onnx", Accuracy = 0.8, PromotedAt = DateTimeOffset.UtcNow }.Write(champion);
        var answered = await Classify(server);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); answered.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
            answered = await Classify(server);
        }

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var body = JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal("first", body.RootElement.GetProperty("model").GetProperty("id").GetString());
        using var ready = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/api/health"));
        Assert.True(ready.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal("first", ready.RootElement.GetProperty("model").GetProperty("id").GetString());
        var metrics = await server.MetricsAsync();
        Assert.Equal(1, metrics.Value("paraphrase_model_loaded"));
        Assert.Equal(0, metrics.Value("paraphrase_model_swaps_total")); // a first model replaces nothing
    }

    [Fact]
    public async Task AMissingModelDirectoryIsStillAStartUpError()
    {
        var error = Assert.Throws<InferenceException>(() => ServingHost.Create(Path.Combine(_directory, "no-such-model"),
            new ServingOptions(), new InferenceOptions { ExecutionProvider = "cpu" }, "http://127.0.0.1:0", apiKeys: [TestServer.Key]));

        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Classify(TestServer server) =>
        server.Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "The cat sat.", sentence2 = "A cat was sitting." });

    private void CopyModel(string name)
    {
        string directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(Reference.Directory, "model.torch.onnx"), Path.Combine(directory, "model.onnx"));
        File.Copy(Path.Combine(Reference.Directory, "vocab.txt"), Path.Combine(directory, "vocab.txt"));
    }
}
