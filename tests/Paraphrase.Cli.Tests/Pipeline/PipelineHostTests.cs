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
    public async Task AHostStoppedWithSigtermTheMomentItAnswersExitsCleanly()
    {
        // Its durable provider is still starting then. The console lifetime used to stop the sidecar on the signal at
        // once, while the provider was half started and before the host's own ordered shutdown stopped it a second time:
        // the provider threw on a thread-pool thread and the process aborted (exit 134).
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);

        int exit = await host.TerminateAsync();

        Assert.True(exit == 0, $"exit {exit}\n{host.Log}");
    }

    [Fact]
    public async Task TheManagementApiKeepsDurableFunctionsConventionsAndTheCommandLineReadsIt()
    {
        await using var host = await PipelineProcess.StartHostAsync(Azurite.ConnectionString, Data);
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/pipeline/runs/nothing-000000000000")).StatusCode);
        string folder = Files("api", 48, 16, OneEpoch);
        await UploadAsync("api", folder);

        // The upload may have started the run already: asking for the same snapshot names the same run either way.
        var start = await http.PostAsJsonAsync("/api/pipeline/runs", new { dataset = "api" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var body = (await start.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        string id = (string)body["id"]!, status = (string)body["statusQueryGetUri"]!;
        Assert.Matches("^api-[0-9a-f]{12}$", id);
        Assert.Equal(status, start.Headers.Location!.ToString());
        Assert.Equal(status + "/terminate", (string)body["terminatePostUri"]!);

        // 202 while pending or running, 200 once it ended, whatever moment each poll lands on.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var poll = await http.GetAsync(status);
            var run = (await poll.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
            string runtime = (string)run["runtimeStatus"]!;
            Assert.Equal(runtime is "Pending" or "Running" ? HttpStatusCode.Accepted : HttpStatusCode.OK, poll.StatusCode);
            if (poll.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(runtime == "Completed", $"{run}\n{host.Log}");
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {id} did not finish:\n{host.Log}");
            await Task.Delay(250);
        }

        // The same files uploaded again are the same snapshot: no second run.
        await UploadAsync("api", folder);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var client = PipelineApiClient.Create(host.Url, null);
        Assert.Equal([id], (await client.ListAsync("api")).Select(r => r.Id));

        var listed = await CliRunner.RunAsync("runs", "list", "--url", host.Url, "--dataset", "api");
        Assert.True(listed.ExitCode == 0, listed.StandardError);
        Assert.Contains(id, listed.StandardOutput, StringComparison.Ordinal);
        var shown = await CliRunner.RunAsync("runs", "show", id, "--url", host.Url);
        Assert.True(shown.ExitCode == 0, shown.StandardError);
        Assert.Contains("\"runtimeStatus\": \"Completed\"", shown.StandardOutput, StringComparison.Ordinal);

        string openApi = await http.GetStringAsync("/openapi.json");
        foreach (string path in new[] { "/api/pipeline/runs", "/api/pipeline/runs/{id}", "/api/pipeline/runs/{id}/terminate", "/api/pipeline/champion", "/api/pipeline/champion/rollback" })
        {
            Assert.Contains($"\"{path}\"", openApi, StringComparison.Ordinal);
        }

        Assert.Equal(0, await host.TerminateAsync());
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
