namespace Paraphrase.Pipeline.Jobs;

/// <summary>Sends trainer jobs (Azure Storage Queues locally and in Azure, or Azure Service Bus).</summary>
public interface IJobSender
{
    Task SendAsync(TrainerJob job, CancellationToken cancellationToken = default);
}

/// <summary>Receives trainer jobs with a lock that the worker keeps renewing while it works.</summary>
public interface IJobReceiver
{
    /// <summary>The next job, locked for <paramref name="lockDuration"/>; null when none arrived within the transport's wait.</summary>
    Task<ReceivedJob?> ReceiveAsync(TimeSpan lockDuration, CancellationToken cancellationToken);
}

/// <summary>A locked job message: renew the lock while working, then complete (done), abandon or retry later (not done), or dead-letter (never).</summary>
public abstract class ReceivedJob(TrainerJob job, int deliveryCount)
{
    public TrainerJob Job { get; } = job;

    /// <summary>How many times this message has been delivered, this time included.</summary>
    public int DeliveryCount { get; } = deliveryCount;

    public abstract Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken);

    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Hands the job back for another delivery now (this worker stops; another may take it).</summary>
    public abstract Task AbandonAsync(CancellationToken cancellationToken);

    /// <summary>Lets the job come back after about <paramref name="delay"/> (it cannot be worked on yet), without settling it.</summary>
    public abstract Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken);

    public abstract Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}
