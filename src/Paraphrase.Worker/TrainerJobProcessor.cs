using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Worker;

/// <summary>
/// One delivered job, from lock to result. Messages come at least once: a job that already finished, or that a newer
/// attempt superseded, is dropped; a job another worker holds the run lease for is left to it. The outcome lands in
/// job.json before the message is completed, so a crash in between only causes a harmless redelivery.
/// </summary>
public sealed partial class TrainerJobProcessor(ArtifactStore store, TrainerWorkerOptions options, TimeProvider clock, ILogger<TrainerJobProcessor> logger)
{
    private readonly JobExecutor _executor = new(store, options, logger);

    public async Task ProcessAsync(ReceivedJob message, CancellationToken stopping)
    {
        var job = message.Job;
        var current = (await store.ReadJsonAsync<JobStatusFile>(ArtifactPaths.JobStatus(job.RunId), stopping))?.Value;
        if (current is not null && current.Kind == job.Kind && (current.State == JobState.Completed || current.Attempt > job.Attempt))
        {
            Skipped(logger, job.RunId, job.Kind, current.State == JobState.Completed ? "already completed" : $"superseded by attempt {current.Attempt}");
            await message.CompleteAsync(stopping);
            return;
        }

        await using var lease = await BlobLease.TryAcquireAsync(store, ArtifactPaths.JobLease(job.RunId), options.RunLease, stopping);
        if (lease is null)
        {
            if (current is not null && current.Kind == job.Kind && current.Attempt == job.Attempt && current.State == JobState.Running)
            {
                // The same job delivered twice: the worker holding the run is on it. Should it die, the orchestration
                // notices the silent heartbeat and dispatches the next attempt.
                AlreadyTaken(logger, job.RunId, job.Kind, current.Worker);
                await message.CompleteAsync(stopping);
                return;
            }

            // The run's lease is held but not for this job yet: the previous job's worker is just letting go, or a dead
            // worker's lease has not lapsed. Look again shortly.
            Skipped(logger, job.RunId, job.Kind, "another worker holds the run's lease; trying again shortly");
            await message.RetryLaterAsync(options.RunLease, stopping);
            return;
        }

        using var work = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        JobStatusFile outcome;
        await using (var heartbeat = new JobHeartbeat(store, job, lease, message, options, clock, work, logger))
        {
            await heartbeat.BeatAsync(stopping);
            Started(logger, job.RunId, job.Kind, job.Attempt);
            try
            {
                var result = await _executor.RunAsync(job, heartbeat, work.Token);
                outcome = Status(job, JobState.Completed, heartbeat.Progress, result, null);
            }
            catch (OperationCanceledException) when (heartbeat.Cancelled)
            {
                outcome = Status(job, JobState.Cancelled, heartbeat.Progress, null, heartbeat.StopReason);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested || heartbeat.StopReason is not null)
            {
                // Shutting down (or the run went to another worker): hand the job back; a new delivery resumes from the last checkpoint.
                Handed(logger, job.RunId, job.Kind, heartbeat.StopReason ?? "the worker is stopping");
                await message.AbandonAsync(CancellationToken.None);
                return;
            }
            catch (JobFailedException e)
            {
                // The input is wrong (a corrupt base model, data the trainer rejects): no delivery will ever succeed.
                outcome = Status(job, JobState.Failed, heartbeat.Progress, null, e.Message);
            }
            catch (Exception e) when (message.DeliveryCount < options.MaxDeliveries)
            {
                Retrying(logger, job.RunId, job.Kind, message.DeliveryCount, e.Message);
                await message.RetryLaterAsync(Backoff(message.DeliveryCount), CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                outcome = Status(job, JobState.Failed, heartbeat.Progress, null, $"{e.GetType().Name}: {e.Message} (after {message.DeliveryCount} deliveries)");
            }
        }

        // The outcome lands in job.json first: a crash before the message is settled only causes a redelivery that finds it.
        await store.WriteJsonAsync(ArtifactPaths.JobStatus(job.RunId), outcome, cancellationToken: CancellationToken.None);
        if (outcome.State == JobState.Failed)
        {
            await message.DeadLetterAsync(outcome.Error!, CancellationToken.None);
        }
        else
        {
            await message.CompleteAsync(CancellationToken.None);
        }

        Finished(logger, job.RunId, job.Kind, outcome.State, outcome.Error ?? "");
    }

    /// <summary>2, 4, 8 … seconds, at most a minute: long enough for a storage blip to pass.</summary>
    private static TimeSpan Backoff(int deliveries) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Clamp(deliveries, 1, 6))));

    private JobStatusFile Status(TrainerJob job, JobState state, JobProgress? progress, JsonNode? result, string? error)
    {
        var now = clock.GetUtcNow();
        return new JobStatusFile
        {
            RunId = job.RunId, Kind = job.Kind, State = state, Attempt = job.Attempt, UpdatedAt = now, Heartbeat = now, Worker = options.WorkerName,
            Progress = progress, Result = result, Error = error,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: {Kind} job skipped: {Reason}")]
    private static partial void Skipped(ILogger logger, string runId, JobKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: {Kind} job delivered again: worker {Worker} is already on it")]
    private static partial void AlreadyTaken(ILogger logger, string runId, JobKind kind, string? worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: {Kind} job started (attempt {Attempt})")]
    private static partial void Started(ILogger logger, string runId, JobKind kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RunId}: {Kind} job {State} {Error}")]
    private static partial void Finished(ILogger logger, string runId, JobKind kind, JobState state, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{RunId}: {Kind} job handed back: {Reason}")]
    private static partial void Handed(ILogger logger, string runId, JobKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{RunId}: {Kind} job failed on delivery {Delivery}, will be retried: {Reason}")]
    private static partial void Retrying(ILogger logger, string runId, JobKind kind, int delivery, string reason);
}
