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
        var dispatchedAt = context.CurrentUtcDateTime;
        while (!(status.Kind == kind && status.IsTerminal))
        {
            await context.CreateTimer(context.CurrentUtcDateTime + NextPoll(watch, context.CurrentUtcDateTime - dispatchedAt, status.Progress), CancellationToken.None);
            status = await context.CallActivityAsync<JobStatusFile>(nameof(ReadJobStatusActivity), new JobQuery(input.RunId, kind),
                TrainingPipelineOrchestrator.Retry);
            string stage = kind switch { JobKind.Train => PipelineStages.Train, JobKind.Export => PipelineStages.Export, _ => PipelineStages.PrepareBaseModel };
            context.SetCustomStatus(new PipelineStatus(stage, status.Progress, attempt, status.State.ToString().ToLowerInvariant()));

            // A queued job may wait for a busy worker as long as it takes; only a silent running job is presumed dead.
            if (status.State == JobState.Running && status.Heartbeat is { } beat && context.CurrentUtcDateTime - beat.UtcDateTime > watch.HeartbeatTimeout)
            {
                if (++attempt > watch.MaxAttempts)
                {
                    throw new PipelineFailedException($"the {Describe(kind)} job stopped answering {watch.MaxAttempts} times (last heartbeat {beat:u}); " +
                        $"last error: {status.Error ?? "none reported"}. Check the trainer worker's log.");
                }

                run.Attempts = attempt;
                status = await Dispatch(kind, attempt, paths);
                dispatchedAt = context.CurrentUtcDateTime;
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

    /// <summary>
    /// Polls a twentieth of the job's age apart, between the poll interval and its maximum: a short job is seen to end
    /// within seconds, and a long one adds few polls to the history that every replay reads back from storage (the run's
    /// status reads job.json itself, so its progress stays live). When the job's progress says its steps will be done
    /// sooner than that, the next look comes then, so the end of a long job is not noticed a whole interval late.
    /// </summary>
    internal static TimeSpan NextPoll(JobWatchSettings watch, TimeSpan age, JobProgress? progress)
    {
        var next = age / 20;
        if (progress is { StepsPerSecond: > 0 and var stepsPerSecond, TotalSteps: > 0 })
        {
            double seconds = Math.Max(0, progress.TotalSteps - progress.Step) / stepsPerSecond;
            next = seconds < next.TotalSeconds ? TimeSpan.FromSeconds(seconds) : next;
        }

        return next < watch.PollInterval ? watch.PollInterval : next > watch.MaxPollInterval ? watch.MaxPollInterval : next;
    }

    internal static string Describe(JobKind kind) => kind switch
    {
        JobKind.Train => "fine-tuning",
        JobKind.Export => "ONNX export",
        _ => "base-model staging",
    };
}
