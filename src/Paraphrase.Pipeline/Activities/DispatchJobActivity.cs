using Microsoft.DurableTask;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// Queues a trainer job, unless job.json says this job already completed (a replayed or retried dispatch). The message
/// is sent before job.json says "queued", so a crash in between at worst sends it twice — which the worker tolerates —
/// and never leaves a job that says queued but was never sent.
/// </summary>
public sealed class DispatchJobActivity(ArtifactStore store, IJobSender queue, TimeProvider clock) : TaskActivity<TrainerJob, JobStatusFile>
{
    public override async Task<JobStatusFile> RunAsync(TaskActivityContext context, TrainerJob job)
    {
        var path = ArtifactPaths.JobStatus(job.RunId);
        var current = await store.ReadJsonAsync<JobStatusFile>(path);
        if (current?.Value is { } status && status.Kind == job.Kind && (status.State == JobState.Completed || status.Attempt > job.Attempt))
        {
            return status;
        }

        await queue.SendAsync(job);
        var queued = new JobStatusFile { RunId = job.RunId, Kind = job.Kind, State = JobState.Queued, Attempt = job.Attempt, UpdatedAt = clock.GetUtcNow() };
        try
        {
            await store.WriteJsonAsync(path, queued, WriteIf.Unchanged(current?.ETag));
            return queued;
        }
        catch (Azure.RequestFailedException e) when (WriteIf.IsConflict(e))
        {
            // The worker was quicker and already wrote its own status.
            return (await store.ReadJsonAsync<JobStatusFile>(path))!.Value.Value;
        }
    }
}
