using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// Turns uploads into runs: once a changed dataset folder has been quiet for the settle period, starts one run of its
/// snapshot. Locally it lists the datasets container every few seconds (the stand-in for Event Grid); in Azure the
/// upload settle orchestration, started by the Event Grid blob trigger, calls <see cref="ScanAsync(DurableTaskClient, string?, CancellationToken)"/>
/// for the uploaded folder. The cursor persists in blob storage, so a restart never starts a snapshot twice.
/// </summary>
public sealed partial class DatasetWatcher(ArtifactStore store, IServiceProvider services, PipelineOptions options, TimeProvider clock,
    ILogger<DatasetWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchEvery, clock);
        do
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ScanFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over the whole datasets container, with the host's durable client.</summary>
    public Task<IReadOnlyList<UploadScan>> ScanAsync(CancellationToken cancellationToken) =>
        ScanAsync(services.GetRequiredService<DurableTaskClient>(), dataset: null, cancellationToken);

    /// <summary>One pass over the datasets container, or over one dataset's folder.</summary>
    /// <returns>What became of each folder that changed since its last run was started.</returns>
    public async Task<IReadOnlyList<UploadScan>> ScanAsync(DurableTaskClient client, string? dataset, CancellationToken cancellationToken)
    {
        var saved = await store.ReadJsonAsync<WatcherCursor>(ArtifactPaths.WatcherCursor, cancellationToken);
        var cursor = saved?.Value ?? new WatcherCursor();
        // Names relative to the datasets container, whether the whole container or one folder is listed.
        string prefix = dataset is null ? "" : dataset + "/";
        var listed = (await store.ListAsync(new BlobPath(ArtifactPaths.Datasets, prefix), cancellationToken)).Select(b => b with { RelativeName = prefix + b.RelativeName });
        var starter = new PipelineRunStarter(client, services.GetRequiredService<RunPlanner>());
        var scans = new List<UploadScan>();
        bool changed = false;
        foreach (var folder in listed.GroupBy(b => UploadSettle.DatasetOf(b.RelativeName)).Where(g => g.Key is not null))
        {
            string name = folder.Key!;
            var blobs = folder.Select(b => b with { RelativeName = b.RelativeName[(name.Length + 1)..] }).ToList();
            string fingerprint = UploadSettle.Fingerprint(blobs);
            if (cursor.Started.GetValueOrDefault(name) == fingerprint)
            {
                continue;
            }

            var remaining = UploadSettle.Remaining(blobs, clock.GetUtcNow(), options.Settle);
            if (remaining > TimeSpan.Zero)
            {
                scans.Add(new UploadScan(name, UploadScan.Settling, Wait: remaining));
                continue;
            }

            try
            {
                var started = await starter.StartAsync(new RunRequest(name, Trigger: "upload"), cancellationToken: cancellationToken);
                Started(logger, name, started.RunId, started.Created ? "started" : "already exists");
                scans.Add(new UploadScan(name, started.Created ? UploadScan.Started : UploadScan.Existing, started.RunId, Wait: options.Settle));
            }
            catch (PipelineFailedException e)
            {
                // Not trainable as it stands (e.g. no train file yet): wait for the next change of the folder.
                NotStarted(logger, name, e.Message);
                scans.Add(new UploadScan(name, UploadScan.NotTrainable, Detail: e.Message));
            }

            cursor.Started[name] = fingerprint;
            changed = true;
        }

        if (changed)
        {
            await store.WriteJsonAsync(ArtifactPaths.WatcherCursor, cursor, WriteIf.Unchanged(saved?.ETag), cancellationToken);
        }

        return scans;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload to datasets/{Dataset}/ settled: run {RunId} {Outcome}")]
    private static partial void Started(ILogger logger, string dataset, string runId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "datasets/{Dataset}/ changed but cannot be trained on yet: {Reason}")]
    private static partial void NotStarted(ILogger logger, string dataset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning the datasets container failed, retrying: {Reason}")]
    private static partial void ScanFailed(ILogger logger, string reason);
}

/// <summary>What a scan did with one changed dataset folder.</summary>
/// <param name="Wait">For a folder still settling: how long until it has been quiet long enough; for a run started: the
/// settle period, after which a look again catches uploads that came meanwhile.</param>
public sealed record UploadScan(string Dataset, string Outcome, string? RunId = null, string? Detail = null, TimeSpan? Wait = null)
{
    public const string Started = "started";
    public const string Existing = "existing";
    public const string NotTrainable = "not-trainable";
    public const string Settling = "settling";
}
