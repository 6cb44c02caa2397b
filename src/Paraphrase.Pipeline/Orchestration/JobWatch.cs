using Microsoft.DurableTask;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Pipeline.Orchestration;

/// <summary>
/// Dispatches a trainer job and waits for it with the monitor pattern: a durable timer (growing from the poll interval to
/// its maximum), then a read of job.json.
/// A running job whose heartbeat is older than the limit belongs to a dead worker: it is dispatched again (the
/// next attempt resumes from the last checkpoint) until the attempts run out. A job the worker failed fails the run
/// with the worker's message.
/// </summary>
internal sealed class JobWatch(TaskOrchestrationContext context, PipelineRunInput input, RunProgress run)
{
    public async Task<JobStatusFile> RunAsync(JobKind kind, TrainerJobPaths paths)
    {
        var watch = input.Watch;
        int attempt = 1;
        var status = await Dispatch(kind, attempt, paths);
        var interval = watch.PollInterval;
        while (!(status.Kind == kind && status.IsTerminal))
        {
            await context.CreateTimer(context.CurrentUtcDateTime + interval, CancellationToken.None);
            status = await context.CallActivityAsync<JobStatusFile>(nameof(ReadJobStatusActivity), new JobQuery(input.RunId, kind),
                TrainingPipelineOrchestrator.Retry);
            string stage = kind switch { JobKind.Train => PipelineStages.Train, JobKind.Export => PipelineStages.Export, _ => PipelineStages.PrepareBaseModel };
            context.SetCustomStatus(new PipelineStatus(stage, status.Progress, attempt, status.State.ToString().ToLowerInvariant()));

            // Quick polls first, then less and less often: every poll adds to the history that each replay reads back from
            // storage, so a long job must not poll every few seconds (the run's status reads job.json itself for live
            // progress). A queued job may wait for a busy worker as long as it takes; only a silent running job is presumed dead.
            interval = Min(interval * 2, watch.MaxPollInterval);
            if (status.State == JobState.Running && status.Heartbeat is { } beat && context.CurrentUtcDateTime - beat.UtcDateTime > watch.HeartbeatTimeout)
            {
                if (++attempt > watch.MaxAttempts)
                {
                    throw new PipelineFailedException($"the {Describe(kind)} job stopped answering {watch.MaxAttempts} times (last heartbeat {beat:u}); " +
                        $"last error: {status.Error ?? "none reported"}. Check the trainer worker's log.");
                }

                run.Attempts = attempt;
                status = await Dispatch(kind, attempt, paths);
                interval = watch.PollInterval;
            }
        }

        return status.State switch
        {
            JobState.Completed => status,
            JobState.Cancelled => throw new PipelineFailedException($"the {Describe(kind)} job was cancelled"),
            _ => throw new PipelineFailedException($"the {Describe(kind)} job failed: {status.Error}"),
        };
    }

    private Task<JobStatusFile> Dispatch(JobKind kind, int attempt, TrainerJobPaths paths) =>
        context.CallActivityAsync<JobStatusFile>(nameof(DispatchJobActivity), new TrainerJob(input.RunId, kind, attempt, paths), TrainingPipelineOrchestrator.Retry);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    internal static string Describe(JobKind kind) => kind switch
    {
        JobKind.Train => "fine-tuning",
        JobKind.Export => "ONNX export",
        _ => "base-model staging",
    };
}
