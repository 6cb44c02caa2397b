using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// The local stand-in for Event Grid's BlobCreated subscription: lists the datasets container, and once a changed
/// folder has been quiet for the settle period, starts one run of its snapshot. The cursor persists in blob storage.
/// </summary>
public sealed partial class DatasetWatcher(ArtifactStore store, IServiceProvider services, PipelineOptions options, TimeProvider clock,
    ILogger<DatasetWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchInterval, clock);
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

    /// <summary>One pass over the datasets container.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        var saved = await store.ReadJsonAsync<WatcherCursor>(ArtifactPaths.WatcherCursor, cancellationToken);
        var cursor = saved?.Value ?? new WatcherCursor();
        var all = await store.ListAsync(new BlobPath(ArtifactPaths.Datasets, ""), cancellationToken);
        bool changed = false;
        foreach (var folder in all.GroupBy(b => UploadSettle.DatasetOf(b.RelativeName)).Where(g => g.Key is not null))
        {
            string dataset = folder.Key!;
            var blobs = folder.Select(b => b with { RelativeName = b.RelativeName[(dataset.Length + 1)..] }).ToList();
            string fingerprint = UploadSettle.Fingerprint(blobs);
            if (cursor.Started.GetValueOrDefault(dataset) == fingerprint || !UploadSettle.IsSettled(blobs, clock.GetUtcNow(), options.Settle))
            {
                continue;
            }

            try
            {
                var started = await services.GetRequiredService<PipelineRunStarter>().StartAsync(new RunRequest(dataset, Trigger: "upload"), cancellationToken: cancellationToken);
                Started(logger, dataset, started.RunId, started.Created ? "started" : "already exists");
            }
            catch (PipelineFailedException e)
            {
                // Not trainable as it stands (e.g. no train file yet): wait for the next change of the folder.
                NotStarted(logger, dataset, e.Message);
            }

            cursor.Started[dataset] = fingerprint;
            changed = true;
        }

        if (changed)
        {
            await store.WriteJsonAsync(ArtifactPaths.WatcherCursor, cursor, WriteIf.Unchanged(saved?.ETag), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload to datasets/{Dataset}/ settled: run {RunId} {Outcome}")]
    private static partial void Started(ILogger logger, string dataset, string runId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "datasets/{Dataset}/ changed but cannot be trained on yet: {Reason}")]
    private static partial void NotStarted(ILogger logger, string dataset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning the datasets container failed, retrying: {Reason}")]
    private static partial void ScanFailed(ILogger logger, string reason);
}
