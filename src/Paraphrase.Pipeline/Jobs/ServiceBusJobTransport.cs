using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Jobs;

/// <summary>
/// Trainer jobs on an Azure Service Bus queue, received in peek-lock mode: the lock is renewed with every heartbeat,
/// the message completed once job.json holds the outcome, abandoned when the job should run again, and dead-lettered
/// with the reason when it never will. The queue's own lock duration applies (the requested one cannot be set per
/// message); its max delivery count should exceed the worker's, so that the worker, not the broker, dead-letters with
/// the reason.
/// </summary>
public sealed class ServiceBusJobTransport(ServiceBusSender sender, ServiceBusReceiver receiver, TimeSpan? receiveWait = null) : IJobSender, IJobReceiver
{
    /// <summary>Dead-letter reasons are capped by the broker.</summary>
    private const int MaxReasonLength = 4096;

    private readonly TimeSpan _receiveWait = receiveWait ?? TimeSpan.FromSeconds(5);

    public Task SendAsync(TrainerJob job, CancellationToken cancellationToken = default) =>
        sender.SendMessageAsync(new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(job, PipelineJson.Line))
        {
            // The same dispatch twice (an activity retried after sending) is one message to a queue with duplicate detection.
            MessageId = $"{job.RunId}:{job.Kind}:{job.Attempt}",
            ContentType = "application/json",
            Subject = job.Kind.ToString(),
        }, cancellationToken);

    public async Task<ReceivedJob?> ReceiveAsync(TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var message = await receiver.ReceiveMessageAsync(_receiveWait, cancellationToken);
        if (message is null)
        {
            return null;
        }

        TrainerJob? job;
        try
        {
            job = JsonSerializer.Deserialize<TrainerJob>(message.Body.ToMemory().Span, PipelineJson.Options);
        }
        catch (JsonException)
        {
            job = null;
        }

        if (job is null || string.IsNullOrEmpty(job.RunId))
        {
            await receiver.DeadLetterMessageAsync(message, "not a trainer job message", $"message {message.MessageId} does not hold a trainer job", cancellationToken);
            return null;
        }

        return new Locked(receiver, job, message);
    }

    private sealed class Locked(ServiceBusReceiver receiver, TrainerJob job, ServiceBusReceivedMessage message) : ReceivedJob(job, message.DeliveryCount)
    {
        public override Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken) =>
            receiver.RenewMessageLockAsync(message, cancellationToken);

        public override Task CompleteAsync(CancellationToken cancellationToken) => receiver.CompleteMessageAsync(message, cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) =>
            receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);

        // Left locked: the broker delivers it again when the lock lapses (an abandon would bring it straight back).
        public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            string capped = reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
            return receiver.DeadLetterMessageAsync(message, capped, $"run {Job.RunId}, {Job.Kind} job, attempt {Job.Attempt}", cancellationToken);
        }
    }
}
