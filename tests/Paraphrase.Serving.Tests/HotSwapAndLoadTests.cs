using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paraphrase.Serving;

namespace Paraphrase.Serving.Tests;

public sealed class HotSwapAndLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-serving-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ChampionSwapUnderConcurrentLoadFailsNoRequest()
    {
        string first = CopyModel("first"), second = CopyModel("second");
        string champion = Path.Combine(_directory, "champion.json");
        await File.WriteAllTextAsync(champion, "{\"model\": \"first\"}");
        await using var server = await TestServer.StartAsync(champion, new ServingOptions { ChampionPollInterval = TimeSpan.FromMilliseconds(100) });

        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await server.Client.PostAsJsonAsync("/api/paraphrase",
                    new { pairs = new[] { new { sentence1 = $"client {c} asks", sentence2 = "a question" }, new { sentence1 = "short", sentence2 = "pair" } } });
                statuses.Add(response.StatusCode);
            }
        })).ToList();

        await Task.Delay(700);
        await File.WriteAllTextAsync(champion, "{\"model\": \"second\"}");
        string served = first;
        for (int i = 0; i < 50 && served != second; i++)
        {
            await Task.Delay(100);
            using var model = JsonDocument.Parse(await server.Client.GetStringAsync("/api/model"));
            served = model.RootElement.GetProperty("source").GetString()!;
        }

        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Equal(second, served);
        Assert.True(statuses.Count > 20, $"only {statuses.Count} requests ran");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, (await server.MetricsAsync()).Value("paraphrase_model_swaps_total"));
    }

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfter()
    {
        await using var server = await TestServer.StartAsync(CopyModel("busy"),
            new ServingOptions { QueueCapacity = 4, MaxWait = TimeSpan.FromSeconds(10), MaxBatchSize = 64 });
        var four = new { pairs = Enumerable.Range(0, 4).Select(i => new { sentence1 = $"pair {i}", sentence2 = "waits" }) };

        // The first request's batch window stays open for 10 s, far longer than a busy machine needs to queue its pairs
        // and send the second request; wait until they are queued.
        var filling = server.Client.PostAsJsonAsync("/api/paraphrase", four);
        for (var deadline = DateTime.UtcNow.AddSeconds(8); (await server.MetricsAsync()).Value("paraphrase_queue_depth") != 4;)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first request's pairs were never queued");
            await Task.Delay(20);
        }

        var refused = await server.Client.PostAsJsonAsync("/api/paraphrase", four);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, (await filling).StatusCode);
    }

    private string CopyModel(string name)
    {
        string directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(Reference.Directory, "model.torch.onnx"), Path.Combine(directory, "model.onnx"));
        File.Copy(Path.Combine(Reference.Directory, "vocab.txt"), Path.Combine(directory, "vocab.txt"));
        return directory;
    }
}
