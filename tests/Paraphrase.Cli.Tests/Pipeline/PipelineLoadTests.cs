using System.Text.RegularExpressions;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Testing;

namespace Paraphrase.Cli.Tests.Pipeline;

/// <summary>Many datasets at once: a host without a worker of its own, two workers, ten uploads in the same moment.</summary>
[Collection(PipelineOnAzurite.Name)]
public sealed class PipelineLoadTests(AzuriteFixture azurite) : PipelineScenario(azurite)
{
    private const int Datasets = 10;

    [Fact]
    public async Task TenDatasetsAtOnceAreEachTrainedOnceAndTheirPromotionsTakeTurns()
    {
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        await using var first = await WorkerAsync();
        await using var second = await WorkerAsync();
        long memoryBefore = host.WorkingSet;

        // Different slices of MRPC, so the tiny models differ and some of them beat the champion of their moment.
        string[] names = [.. Enumerable.Range(0, Datasets).Select(i => $"load-{i}")];
        await Task.WhenAll(names.Select((name, i) => UploadSliceAsync(name, skip: i * 40)));
        string[] ids = await Task.WhenAll(names.Select(name => RunOfAsync(client, name, host, first, second)));
        var runs = await Task.WhenAll(ids.Select(id => CompletionAsync(client, id, host, first, second)));

        Assert.All(runs, run => Assert.True(run.RuntimeStatus == "Completed", $"{run.Id}: {run.RuntimeStatus} {run.Error?.Message}\n{Logs(host, first, second)}"));
        Assert.All(ids, id => Assert.Equal(1, TrainJobsStarted(id, first, second)));

        // Every run decided exactly once, each against the champion of its moment, in the order the decisions took effect.
        var champion = await client.ChampionAsync();
        Assert.All(ids, id => Assert.Single(champion.History, h => h.RunId == id && h.Action is PromotionHistoryEntry.Promoted or PromotionHistoryEntry.Rejected));
        string? current = null;
        foreach (var entry in champion.History)
        {
            if (entry.Action != PromotionHistoryEntry.RolledBack)
            {
                Assert.True(entry.PreviousChampion == current, $"{entry.RunId} was compared with {entry.PreviousChampion}, but {current} was the champion then");
            }

            current = entry.Action == PromotionHistoryEntry.Rejected ? current : entry.RunId;
        }

        Assert.Equal(current, champion.Current?.RunId);

        // Rollback is one call, and serving follows it.
        if (champion.History.LastOrDefault(h => h.Action == PromotionHistoryEntry.Promoted && h.RunId == current)?.PreviousChampion is { } previous)
        {
            int served = Regex.Count(host.Log, $"Champion is now {Regex.Escape(previous)}");
            var rolledBack = await client.RollbackAsync("load test");
            Assert.Equal(previous, rolledBack.RunId);
            Assert.Equal(previous, (await client.ChampionAsync()).Current?.RunId);
            await WaitForAsync("the rolled-back champion to be served", () => Task.FromResult(Regex.Count(host.Log, $"Champion is now {Regex.Escape(previous)}") > served),
                () => host.Log, within: TimeSpan.FromMinutes(1));
        }

        // Ten runs through one host: no more than a bounded growth (model sessions come and go with the champion).
        long growth = host.WorkingSet - memoryBefore;
        Assert.True(growth < 400L << 20, $"the host grew by {growth >> 20} MiB over ten runs");

        // Containers are stopped with SIGTERM: every process ends cleanly, the host too after serving ten champions.
        Assert.True(await first.TerminateAsync() == 0, first.Log);
        Assert.True(await second.TerminateAsync() == 0, second.Log);
        Assert.True(await host.TerminateAsync() == 0, host.Log);
    }

    private async Task UploadSliceAsync(string dataset, int skip)
    {
        string folder = Path.Combine(Data, "upload", dataset);
        Directory.CreateDirectory(folder);
        string[] train = File.ReadAllLines(CliRunner.FixturePath("mrpc", "train.tsv"));
        string[] dev = File.ReadAllLines(CliRunner.FixturePath("mrpc", "dev.tsv"));
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), [train[0], .. train.Skip(1 + skip).Take(48)]);
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), [dev[0], .. dev.Skip(1 + skip).Take(24)]);
        File.WriteAllText(Path.Combine(folder, "pipeline.json"), """{"training": {"epochs": 1, "maxLength": 64}}""");
        var store = Store;
        foreach (string file in Directory.GetFiles(folder).Order())
        {
            await DatasetUploader.UploadAsync(store, file, dataset, role: null);
        }
    }
}
