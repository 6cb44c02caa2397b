using Microsoft.DurableTask;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>job.json as it is now; a job.json about another kind of job reads as this job still queued.</summary>
public sealed class ReadJobStatusActivity(ArtifactStore store, TimeProvider clock) : TaskActivity<JobQuery, JobStatusFile>
{
    public override async Task<JobStatusFile> RunAsync(TaskActivityContext context, JobQuery query)
    {
        var status = (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(query.RunId)))?.Value;
        return status is not null && status.Kind == query.Kind
            ? status
            : new JobStatusFile { RunId = query.RunId, Kind = query.Kind, State = JobState.Queued, Attempt = status?.Attempt ?? 1, UpdatedAt = clock.GetUtcNow() };
    }
}
