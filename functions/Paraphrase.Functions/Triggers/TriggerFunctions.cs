using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Azure.Storage.Blobs;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Functions.Triggers;

/// <summary>What starts runs in Azure: uploads (Event Grid) and the retraining schedule (timer).</summary>
public static partial class TriggerFunctions
{
    /// <summary>The blob-trigger function's name, which the Event Grid subscription's webhook names too.</summary>
    public const string DatasetUploadedName = "DatasetUploaded";

    /// <summary>
    /// A blob created under datasets/ (Event Grid: Flex Consumption has no polling blob trigger). Only the name is used
    /// (bound as a <see cref="BlobClient"/>, nothing is downloaded); the settle orchestration waits for the folder to go
    /// quiet and starts one run of it. A blob outside a folder, or in a folder that cannot be a dataset, is ignored.
    /// </summary>
    [Function(DatasetUploadedName)]
    public static async Task DatasetUploaded(
        [BlobTrigger("datasets/{name}", Source = BlobTriggerSource.EventGrid, Connection = FunctionAppSettings.ArtifactConnection)] BlobClient blob,
        string name, [DurableClient] DurableTaskClient client, FunctionContext function)
    {
        var logger = function.GetLogger(DatasetUploadedName);
        if (UploadSettle.DatasetOf(name) is not { } dataset || !DatasetNames.IsValid(dataset))
        {
            Ignored(logger, name);
            return;
        }

        bool started = await UploadSettleOrchestrator.EnsureStartedAsync(client, dataset, function.CancellationToken);
        Uploaded(logger, name, dataset, started ? "waiting for the folder to settle" : "already waiting");
    }

    /// <summary>
    /// Scheduled retraining, and a sweep of the datasets container for uploads whose events never arrived (Event Grid
    /// retries for a day, then drops): the same calls the local host makes from its loops.
    /// </summary>
    [Function(nameof(RetrainingCheck))]
    public static async Task RetrainingCheck([TimerTrigger("%" + FunctionAppSettings.RetrainCheckSchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext function)
    {
        var services = function.InstanceServices;
        await services.GetRequiredService<RetrainingScheduler>().FireDueAsync(client, function.CancellationToken);
        try
        {
            await services.GetRequiredService<DatasetWatcher>().ScanAsync(client, dataset: null, function.CancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // A settle orchestration moved the cursor meanwhile; whatever it did not start, the next sweep will.
            var logger = function.GetLogger(nameof(RetrainingCheck));
            SweepDeferred(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "datasets/{Blob} uploaded: dataset {Dataset}, {Outcome}")]
    private static partial void Uploaded(ILogger logger, string blob, string dataset, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "datasets/{Blob} is not in a dataset folder (1-48 lowercase letters, digits or dashes): ignored")]
    private static partial void Ignored(ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload sweep deferred: the watcher cursor changed during the sweep")]
    private static partial void SweepDeferred(ILogger logger);
}
