using System.Text;
using Microsoft.DurableTask.Client;
using Paraphrase.Functions.Durable;
using Paraphrase.Functions.Http;
using Paraphrase.Functions.Triggers;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Functions.Tests;

/// <summary>Each function wrapper over the app's real services on Azurite, with test doubles of the durable client and the invocation context.</summary>
public sealed class WrapperTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Tsv = "sentence1\tsentence2\tlabel\nA cat.\tA cat sat.\t1\nA dog.\tA bird.\t0\n";

    [Fact]
    public async Task AnUploadStartsOneSettleOrchestrationPerDatasetUntilItFinishes()
    {
        await using var app = await FunctionApp.StartAsync(azurite);

        await TriggerFunctions.DatasetUploaded(Blob(app, "uploads/train.tsv"), "uploads/train.tsv", app.Client, app.Context());
        await TriggerFunctions.DatasetUploaded(Blob(app, "uploads/dev.tsv"), "uploads/dev.tsv", app.Client, app.Context());
        await TriggerFunctions.DatasetUploaded(Blob(app, "loose.tsv"), "loose.tsv", app.Client, app.Context());
        await TriggerFunctions.DatasetUploaded(Blob(app, "Not A Dataset#/train.tsv"), "Not A Dataset#/train.tsv", app.Client, app.Context());

        var started = Assert.Single(app.Client.Scheduled);
        Assert.Equal((nameof(UploadSettleOrchestrator), "settle:uploads", (object?)"uploads"), started);

        // Once it has finished, a later upload to the same folder waits for the folder again.
        app.Client.Add(nameof(UploadSettleOrchestrator), "settle:uploads", OrchestrationRuntimeStatus.Completed);
        await TriggerFunctions.DatasetUploaded(Blob(app, "uploads/test.tsv"), "uploads/test.tsv", app.Client, app.Context());
        Assert.Equal(2, app.Client.Scheduled.Count);
    }

    [Fact]
    public async Task TheSettleActivityWaitsForAQuietFolderThenStartsItsRunOnce()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var train = ArtifactPaths.DatasetFolder("settling").Child("train.tsv");
        await app.Store.WriteBytesAsync(train, Encoding.UTF8.GetBytes(Tsv));
        app.Clock.Now = (await app.Store.Blob(train).GetPropertiesAsync()).Value.LastModified + TimeSpan.FromSeconds(2);

        var waiting = await PipelineTaskFunctions.ScanUpload("settling", "settle:settling", app.Client, app.Context());
        Assert.Equal(UploadScan.Settling, waiting?.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(8), waiting!.Wait);
        Assert.Empty(app.Client.Scheduled);

        app.Clock.Now += TimeSpan.FromSeconds(8);
        var started = await PipelineTaskFunctions.ScanUpload("settling", "settle:settling", app.Client, app.Context());
        Assert.Equal(UploadScan.Started, started?.Outcome);
        var run = Assert.Single(app.Client.Scheduled);
        Assert.Equal(nameof(TrainingPipelineOrchestrator), run.Name);
        Assert.Equal(started!.RunId, run.InstanceId);
        Assert.StartsWith("settling-", run.InstanceId);

        // A duplicate event's check finds the folder unchanged since its run started.
        Assert.Null(await PipelineTaskFunctions.ScanUpload("settling", "settle:settling", app.Client, app.Context()));
        Assert.Single(app.Client.Scheduled);
    }

    [Fact]
    public async Task TheTimerSweepsUploadsWhoseEventsNeverArrived()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        await app.Store.WriteBytesAsync(ArtifactPaths.DatasetFolder("unnoticed").Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv));
        app.Clock.Now = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);

        await TriggerFunctions.RetrainingCheck(new Microsoft.Azure.Functions.Worker.TimerInfo(), app.Client, app.Context());

        Assert.Contains(app.Client.Scheduled, s => s.Name == nameof(TrainingPipelineOrchestrator) && s.InstanceId.StartsWith("unnoticed-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartingARunAnswersDurableFunctionsShapeAndBadBodiesAre400s()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        await app.Store.WriteBytesAsync(ArtifactPaths.DatasetFolder("api").Child("train.tsv"), Encoding.UTF8.GetBytes(Tsv));

        var request = app.Request("POST", "/api/pipeline/runs", """{"dataset": "api"}""");
        var (status, headers, body) = await FunctionApp.ExecuteAsync(await ManagementFunctions.StartRun(request, app.Client, app.Context()), request);
        Assert.Equal(202, status);
        string runId = Assert.Single(app.Client.Scheduled).InstanceId;
        Assert.Equal($"https://paraphrase.example/api/pipeline/runs/{runId}", headers.Location.ToString());
        Assert.Contains($"\"terminatePostUri\":\"https://paraphrase.example/api/pipeline/runs/{runId}/terminate\"", body);

        foreach (string bad in new[] { "{not json", """{"dataset": 7}""", "[]", "", """{"dataset": "api", "training": {"epochs": 1, "Epochs": 2}}""",
            """{"dataset": "api", "training": {"learningRate": 1e999}}""", """{"dataset": "\ud800"}""" })
        {
            var badRequest = app.Request("POST", "/api/pipeline/runs", bad);
            var answer = await FunctionApp.ExecuteAsync(await ManagementFunctions.StartRun(badRequest, app.Client, app.Context()), badRequest);
            Assert.True(answer.Status == 400, $"{bad}: {answer.Status} {answer.Body}");
            Assert.Contains("\"title\":", answer.Body);
        }
    }

    [Fact]
    public async Task RunsThatDoNotExistAre404sAndTerminateStopsOneThatDoes()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var get = app.Request("GET", "/api/pipeline/runs/nope-000000000000");
        Assert.Equal(404, (await FunctionApp.ExecuteAsync(await ManagementFunctions.GetRun(get, "nope-000000000000", app.Client, app.Context()), get)).Status);
        var terminate = app.Request("POST", "/api/pipeline/runs/nope-000000000000/terminate");
        Assert.Equal(404, (await FunctionApp.ExecuteAsync(await ManagementFunctions.TerminateRun(terminate, "nope-000000000000", app.Client, app.Context()), terminate)).Status);

        app.Client.Add(nameof(TrainingPipelineOrchestrator), "busy-0123456789ab", OrchestrationRuntimeStatus.Running);
        var stop = app.Request("POST", "/api/pipeline/runs/busy-0123456789ab/terminate");
        Assert.Equal(202, (await FunctionApp.ExecuteAsync(await ManagementFunctions.TerminateRun(stop, "busy-0123456789ab", app.Client, app.Context()), stop)).Status);
        Assert.Equal(["busy-0123456789ab"], app.Client.Terminated);
        Assert.NotNull(await app.Store.ReadBytesAsync(ArtifactPaths.CancelFlag("busy-0123456789ab")));
    }

    [Fact]
    public async Task WithoutAChampionHealthIsUpButNotReadyAndInferenceIs503()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var health = app.Request("GET", "/api/health");
        var (status, _, body) = await FunctionApp.ExecuteAsync(ServingFunctions.Health(health, app.Context()), health);
        Assert.Equal(200, status);
        Assert.Contains("\"ready\":false", body);

        var classify = app.Request("POST", "/api/paraphrase", """{"sentence1": "a", "sentence2": "b"}""");
        Assert.Equal(503, (await FunctionApp.ExecuteAsync(await ServingFunctions.Paraphrase(classify, app.Context()), classify)).Status);
    }

    [Fact]
    public async Task TheDashboardIsServedAtTheRootWithItsAssetsAndUnknownFilesAre404s()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var page = app.Request("GET", "/");
        var (status, headers, body) = await FunctionApp.ExecuteAsync(await DashboardFunctions.DashboardPage(page), page);
        Assert.Equal(200, status);
        Assert.StartsWith("text/html", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);

        var missing = app.Request("GET", "/dashboard/nothing.js");
        Assert.Equal(404, (await FunctionApp.ExecuteAsync(await DashboardFunctions.DashboardAsset(missing, "nothing.js"), missing)).Status);
    }

    [Fact]
    public async Task ArtifactsOfARunThatDoesNotExistAre404sAndAManualPromotionNeedsItsFields()
    {
        await using var app = await FunctionApp.StartAsync(azurite);
        var list = app.Request("GET", "/api/pipeline/runs/none-000000000000/artifacts");
        Assert.Equal(404, (await FunctionApp.ExecuteAsync(await ManagementFunctions.ListRunArtifacts(list, "none-000000000000", app.Context()), list)).Status);

        var promote = app.Request("POST", "/api/pipeline/champion/promote", """{"runId": "none-000000000000"}""");
        var answer = await FunctionApp.ExecuteAsync(await ManagementFunctions.PromoteChampion(promote, app.Context()), promote);
        Assert.Equal(400, answer.Status);
    }

    private static Azure.Storage.Blobs.BlobClient Blob(FunctionApp app, string name) => app.Store.Blob(new BlobPath(ArtifactPaths.Datasets, name));
}
