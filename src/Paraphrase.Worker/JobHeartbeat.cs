using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Worker;

/// <summary>
/// While a job runs: every few seconds renew the run lease and the message lock, write job.json (running, heartbeat,
/// progress) and look for the run's cancel flag. Storage being away for a while does not stop the job; losing the
/// run lease to another worker, or a cancel flag, does.
/// </summary>
internal sealed partial class JobHeartbeat : IAsyncDisposable
{
    private readonly ArtifactStore _store;
    private readonly TrainerJob _job;
    private readonly BlobLease _lease;
    private readonly ReceivedJob _message;
    private readonly TrainerWorkerOptions _options;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _work;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public JobHeartbeat(ArtifactStore store, TrainerJob job, BlobLease lease, ReceivedJob message, TrainerWorkerOptions options, TimeProvider clock,
        CancellationTokenSource work, ILogger logger)
    {
        (_store, _job, _lease, _message, _options, _clock, _work, _logger) = (store, job, lease, message, options, clock, work, logger);
        _loop = Task.Run(LoopAsync);
    }

    public JobProgress? Progress { get; set; }

    /// <summary>Why the work was stopped from here, if it was.</summary>
    public string? StopReason { get; private set; }

    public bool Cancelled { get; private set; }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        if (!await _lease.RenewAsync(cancellationToken))
        {
            Stop("the run's lease was lost to another worker", cancelled: false);
            return;
        }

        await _message.RenewLockAsync(_options.MessageLock, cancellationToken);
        if (await _store.Blob(ArtifactPaths.CancelFlag(_job.RunId)).ExistsAsync(cancellationToken))
        {
            Stop("the run was terminated", cancelled: true);
        }

        var now = _clock.GetUtcNow();
        await _store.WriteJsonAsync(ArtifactPaths.JobStatus(_job.RunId), new JobStatusFile
        {
            RunId = _job.RunId, Kind = _job.Kind, State = JobState.Running, Attempt = _job.Attempt, UpdatedAt = now, Heartbeat = now,
            Worker = _options.WorkerName, Progress = Progress,
        }, cancellationToken: cancellationToken);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await BeatAsync(_stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    BeatFailed(_logger, _job.RunId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Stop(string reason, bool cancelled)
    {
        StopReason ??= reason;
        Cancelled |= cancelled;
        _work.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {RunId} failed, the job goes on: {Reason}")]
    private static partial void BeatFailed(ILogger logger, string runId, string reason);
}
