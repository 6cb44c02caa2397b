using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Paraphrase.Pipeline.Orchestration;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// Event Grid reports each uploaded blob on its own, while a run needs the whole folder: the blob trigger starts this
/// orchestration once per dataset (instance <c>settle:&lt;dataset&gt;</c>), which waits on durable timers until the folder
/// has been quiet for the settle period and then lets <see cref="DatasetWatcher"/> start the run, exactly as the local
/// watcher would. More uploads meanwhile only make it wait longer; a duplicate event finds it already running. After a
/// start it looks once more a settle period later, because an upload whose event came while it was finishing was
/// ignored as "already waiting": it ends only when a look finds nothing new.
/// </summary>
public sealed class UploadSettleOrchestrator : TaskOrchestrator<string, UploadScan?>
{
    /// <summary>An upload that never goes quiet is given up on after this many checks; its next event or the timer's sweep tries again.</summary>
    public const int MaxChecks = 100;

    public static string InstanceId(string dataset) => $"settle:{dataset}";

    /// <returns>The last run started (or found) for the folder, else what the last look found.</returns>
    public override async Task<UploadScan?> RunAsync(TaskOrchestrationContext context, string dataset)
    {
        UploadScan? started = null;
        for (int check = 1; ; check++)
        {
            var scan = await context.CallActivityAsync<UploadScan?>(nameof(ScanUploadActivity), dataset, TrainingPipelineOrchestrator.Retry);
            if (scan?.Outcome is UploadScan.Started or UploadScan.Existing)
            {
                started = scan;
            }

            if (scan is null || scan.Outcome == UploadScan.NotTrainable || check == MaxChecks)
            {
                return started ?? scan;
            }

            context.SetCustomStatus(scan);
            // A second past the settle point: a timer that fires on the dot would find the folder a hair short of quiet.
            await context.CreateTimer(scan.Wait.GetValueOrDefault() + TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }

    /// <summary>Starts the settle orchestration of <paramref name="dataset"/> unless one is already waiting.</summary>
    /// <returns>Whether this call started it.</returns>
    public static async Task<bool> EnsureStartedAsync(DurableTaskClient client, string dataset, CancellationToken cancellationToken)
    {
        string id = InstanceId(dataset);
        if (IsWaiting(await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken)))
        {
            return false;
        }

        try
        {
            // A finished instance of the same id is replaced: its folder has changed again since.
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(UploadSettleOrchestrator), dataset, new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another event for the same folder may have started it a moment ago; if not, this is a real failure.
            if (IsWaiting(await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken)))
            {
                return false;
            }

            throw;
        }
    }

    // A suspended instance counts: it cannot be replaced, and it goes on once someone resumes it.
    private static bool IsWaiting(OrchestrationMetadata? instance) =>
        instance?.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;
}

/// <summary>One settle check of a dataset folder: starts its run when it has been quiet long enough.</summary>
public sealed class ScanUploadActivity(DatasetWatcher watcher, DurableTaskClient client) : TaskActivity<string, UploadScan?>
{
    public override async Task<UploadScan?> RunAsync(TaskActivityContext context, string dataset) =>
        (await watcher.ScanAsync(client, dataset, CancellationToken.None)).SingleOrDefault();
}
