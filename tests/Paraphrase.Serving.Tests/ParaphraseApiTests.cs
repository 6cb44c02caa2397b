using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Paraphrase.Serving;

namespace Paraphrase.Serving.Tests;

/// <summary>The HTTP API against the real server: answers, order, every error case, authentication, documents.</summary>
public sealed class ParaphraseApiTests : IAsyncLifetime
{
    private static readonly string Model = Path.Combine(Reference.Directory, "model.torch.onnx");
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Model, new ServingOptions { MaxPairsPerRequest = 8, MaxBodyBytes = 4096 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BatchAnswersComeInRequestOrderAndMatchTheClassifier()
    {
        (string, string)[] pairs = [("The cat sat.", "A cat was sitting."), ("Stocks fell sharply on Monday.", "It rained."), ("He left early.", "He went home before the others.")];
        using var classifier = ParaphraseClassifier.Open(Model);

        var response = await _server.Client.PostAsJsonAsync("/api/paraphrase", new { pairs = pairs.Select(p => new { sentence1 = p.Item1, sentence2 = p.Item2 }) });
        var single = await _server.Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "The cat sat.", sentence2 = "A cat was sitting." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var results = body.RootElement.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        for (int i = 0; i < pairs.Length; i++)
        {
            var expected = classifier.Predict(pairs[i].Item1, pairs[i].Item2);
            Assert.Equal(expected.Probability, results[i].GetProperty("probability").GetDouble(), 4);
            Assert.Equal(expected.Label == 1 ? "paraphrase" : "not_paraphrase", results[i].GetProperty("label").GetString());
            Assert.False(results[i].GetProperty("truncated").GetBoolean());
        }

        Assert.Equal("onnx", body.RootElement.GetProperty("model").GetProperty("variant").GetString());
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
    }

    public static TheoryData<string, int, string> BadRequests() => new()
    {
        { "{not json", 400, "not valid JSON" },
        { "[1, 2]", 400, "must be a JSON object" },
        { "{\"sentence1\": \"a\"}", 400, "sentence2 is missing" },
        { "{\"sentence1\": \" \", \"sentence2\": \"b\"}", 400, "sentence1 is empty" },
        { "{\"sentence1\": 3, \"sentence2\": \"b\"}", 400, "sentence1 must be a string, not number" },
        { "{\"pairs\": []}", 400, "must be a non-empty array" },
        { "{\"pairs\": [{\"sentence1\": \"a\", \"sentence2\": \"b\"}, 7]}", 400, "pairs[1] must be an object" },
        { "{\"pairs\": [" + string.Join(",", Enumerable.Repeat("{\"sentence1\": \"a\", \"sentence2\": \"b\"}", 9)) + "]}", 400, "Too many pairs: 9; at most 8" },
        { "{\"sentence1\": \"" + new string('a', 5000) + "\", \"sentence2\": \"b\"}", 413, "at most 4,096 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputIsAPreciseProblemAndNeverAServerError(string body, int status, string detail)
    {
        var response = await _server.Client.PostAsync("/api/paraphrase", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var after = await _server.Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "a b", sentence2 = "c d" });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task EverythingButHealthNeedsAValidKey()
    {
        var noKey = await _server.Anonymous.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "a", sentence2 = "b" });
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/model") { Headers = { { "X-API-Key", "nope" } } };
        var wrongKey = await _server.Anonymous.SendAsync(wrong);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/model") { Headers = { { "Authorization", $"Bearer {TestServer.Key}" } } };
        var bearerKey = await _server.Anonymous.SendAsync(bearer);
        var health = await _server.Anonymous.GetAsync("/api/health");
        var metrics = await _server.Anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearerKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
    }

    [Fact]
    public async Task ModelMetricsAndOpenApiDocumentsAreServed()
    {
        await _server.Client.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "a", sentence2 = "b" });

        using var model = JsonDocument.Parse(await _server.Client.GetStringAsync("/api/model"));
        var metrics = await _server.MetricsAsync();
        using var openApi = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi.json"));

        Assert.Equal("CPU", model.RootElement.GetProperty("execution_provider").GetString());
        Assert.True(metrics.Value("paraphrase_requests_total", ("status", "200")) >= 1);
        Assert.True(metrics.Value("paraphrase_request_duration_seconds_count") >= 1);
        Assert.True(metrics.Has("paraphrase_batch_size_bucket"));
        Assert.Equal(0, metrics.Value("paraphrase_queue_depth"));
        Assert.Equal(1, metrics.Value("paraphrase_model_info", ("provider", "CPU")));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/paraphrase", out _));
    }

    [Fact]
    public async Task KeysCanComeFromConfiguration()
    {
        Environment.SetEnvironmentVariable("Paraphrase__ApiKeys__0", "from-environment");
        try
        {
            await using var server = await TestServer.StartAsync(Model, new ServingOptions());
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/model") { Headers = { { "X-API-Key", "from-environment" } } };

            Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.SendAsync(request)).StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Paraphrase__ApiKeys__0", null);
        }
    }

    [Fact]
    public void WithoutKeysTheServerRefusesToStartUnlessTold()
    {
        var error = Assert.Throws<InferenceException>(() => ServingHost.Create(Model, new ServingOptions(), new InferenceOptions(), "http://127.0.0.1:0"));

        Assert.Contains("--no-auth", error.Message, StringComparison.Ordinal);
    }
}
