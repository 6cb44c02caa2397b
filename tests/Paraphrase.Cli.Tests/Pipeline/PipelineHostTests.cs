using System.Net;
using System.Net.Http.Json;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Testing;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>
/// The pipeline as users run it: a real <c>paraphrase host</c> process on a real Azurite, datasets uploaded with
/// <c>paraphrase data upload</c>, a tiny BERT trained by the in-process worker, and the management and inference APIs
/// over HTTP. Hosts are killed and storage is restarted on purpose.
/// </summary>
[Collection(PipelineOnAzurite.Name)]
public sealed class PipelineHostTests(AzuriteFixture azurite) : PipelineScenario(azurite)
{
    private const string OneEpoch = """{"training": {"epochs": 1, "maxLength": 64}}""";

    [Fact]
    public async Task AnUploadBecomesTheServedChampionAndAskingAgainStartsNothing()
    {
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);
        var client = PipelineApiClient.Create(host.Url, null);
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        var before = await http.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "A cat sat.", sentence2 = "A cat was sitting." });
        var champion = await client.ChampionAsync();
        if (champion.Current is null)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        }

        await UploadAsync("first", Files("first", 48, 16, OneEpoch));
        string id = await RunOfAsync(client, "first", host);
        Assert.Matches("^first-[0-9a-f]{12}$", id);
        var run = await CompletionAsync(client, id, host);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{host.Log}");
        Assert.Equal("done", run.Stage);
        Assert.Equal(16, run.Output!.Metrics.Count);

        var again = await client.StartAsync(new StartRunBody("first", null, null));
        Assert.Equal(id, again.Id);
        Assert.False(again.Created);

        var history = (await client.ChampionAsync()).History;
        var decision = history.Single(h => h.RunId == id);
        Assert.Equal(run.Output.Promoted ? "promoted" : "rejected", decision.Action);
        if (run.Output.Promoted)
        {
            // Served within moments of the promotion: the host follows the champion pointer.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            HttpResponseMessage answer;
            while ((answer = await http.PostAsJsonAsync("/api/paraphrase", new { sentence1 = "A cat sat.", sentence2 = "A cat was sitting." })).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the champion was not served: {answer.StatusCode}\n{host.Log}");
                await Task.Delay(250);
            }
        }

        var store = new ArtifactStore(StorageAccount.Connect(Azurite.ConnectionString));
        foreach (string file in new[] { "run.json", "metrics.json", "report.md", "evaluation.json", "export/model.fused.onnx", "model/model.safetensors" })
        {
            Assert.True(await store.Blob(ArtifactPaths.RunFile(id, file)).ExistsAsync(), $"runs/{id}/{file} is missing");
        }
    }

    [Fact]
    public async Task AMalformedDatasetFailsItsRunWithFileAndLineAndLeavesTheChampionAlone()
    {
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);
        var client = PipelineApiClient.Create(host.Url, null);
        var championBefore = (await client.ChampionAsync()).Current?.RunId;
        string folder = Files("broken", 20, 8, OneEpoch);
        var lines = File.ReadAllLines(Path.Combine(folder, "train.tsv"));
        lines[5] = "maybe" + lines[5][1..];
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), lines);
        await UploadAsync("broken", folder);

        var run = await CompletionAsync(client, await RunOfAsync(client, "broken", host), host);
        Assert.Equal("Failed", run.RuntimeStatus);
        Assert.Contains("datasets/broken/train.tsv:6", run.Error!.Message);
        Assert.Equal(championBefore, (await client.ChampionAsync()).Current?.RunId);
    }

    [Fact]
    public async Task AModelThatIsNotBetterByTheMarginIsKeptButNotServed()
    {
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);
        var client = PipelineApiClient.Create(host.Url, null);
        await UploadAsync("baseline", Files("baseline", 48, 16, OneEpoch));
        var baseline = await CompletionAsync(client, await RunOfAsync(client, "baseline", host), host);
        Assert.True(baseline.RuntimeStatus == "Completed", host.Log);
        string? champion = (await client.ChampionAsync()).Current?.RunId;
        Assert.NotNull(champion);

        await UploadAsync("strict", Files("strict", 48, 16, """{"training": {"epochs": 1, "maxLength": 64}, "promotion": {"metric": "accuracy", "margin": 1.0}}"""));
        var strict = await CompletionAsync(client, await RunOfAsync(client, "strict", host), host);
        Assert.True(strict.RuntimeStatus == "Completed", host.Log);
        Assert.False(strict.Output!.Promoted);
        Assert.Contains("needs to be better by 1.0000", strict.Output.Reason);
        Assert.Equal(champion, (await client.ChampionAsync()).Current?.RunId);
        Assert.Contains((await client.ChampionAsync()).History, h => h.RunId == strict.Id && h.Action == "rejected");
    }

    [Fact]
    public async Task AHostKilledMidTrainingResumesTheRunFromItsCheckpointWithoutRedoingFinishedStages()
    {
        // Full MRPC train on the tiny model: about 460 optimizer steps an epoch, so the kill lands in epoch 2, after a checkpoint.
        string folder = Files("crash", 3668, 64, """{"training": {"epochs": 3, "maxLength": 64}}""");
        string id;
        var store = new ArtifactStore(StorageAccount.Connect(Azurite.ConnectionString));
        string ingestTag;
        await using (var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data))
        {
            var client = PipelineApiClient.Create(host.Url, null);
            await UploadAsync("crash", folder);
            id = await RunOfAsync(client, "crash", host);
            var progress = await TrainingPastAsync(client, id, minStep: 470, host);
            Assert.True(progress.Step < progress.TotalSteps, "training finished before the host could be killed");
            ingestTag = (await store.ListAsync(ArtifactPaths.RunFile(id, "data/"))).Single(b => b.RelativeName == "ingest.json").ETag;
            await host.KillAsync();
        }

        await using (var restarted = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data))
        {
            var client = PipelineApiClient.Create(restarted.Url, null);
            var run = await CompletionAsync(client, id, restarted);
            Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{restarted.Log}");
            Assert.Contains("resuming from the last checkpoint", restarted.Log);
            Assert.Equal(ingestTag, (await store.ListAsync(ArtifactPaths.RunFile(id, "data/"))).Single(b => b.RelativeName == "ingest.json").ETag);
        }
    }

    [Fact]
    public async Task ARunSurvivesAzuriteRestartingUnderIt()
    {
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);
        var client = PipelineApiClient.Create(host.Url, null);
        await UploadAsync("outage", Files("outage", 3668, 64, """{"training": {"epochs": 1, "maxLength": 64}}"""));
        string id = await RunOfAsync(client, "outage", host);
        await TrainingPastAsync(client, id, minStep: 20, host);
        await Azurite.RestartAsync(TimeSpan.FromSeconds(3));
        var run = await CompletionAsync(client, id, host);
        Assert.True(run.RuntimeStatus == "Completed", $"{run.Error?.Message}\n{host.Log}");
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineOnAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Pipeline on Azurite";
}
