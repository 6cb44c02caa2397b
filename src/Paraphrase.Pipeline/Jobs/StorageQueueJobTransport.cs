using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Jobs;

/// <summary>
/// Trainer jobs on an Azure Storage queue (Azurite locally). The lock is the message's visibility timeout, renewed by
/// updating the message; a message delivered too often moves to <c>&lt;queue&gt;-poison</c> with the reason, as the
/// Functions queue trigger does.
/// </summary>
public sealed class StorageQueueJobTransport(QueueServiceClient service, string queueName) : IJobSender, IJobReceiver
{
    private readonly QueueClient _queue = service.GetQueueClient(queueName);
    private readonly QueueClient _poison = service.GetQueueClient(queueName + "-poison");
    private bool _created;

    public async Task SendAsync(TrainerJob job, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _queue.SendMessageAsync(JsonSerializer.Serialize(job, PipelineJson.Line), cancellationToken);
    }

    public async Task<ReceivedJob?> ReceiveAsync(TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        QueueMessage? message = (await _queue.ReceiveMessageAsync(lockDuration, cancellationToken)).Value;
        if (message is null)
        {
            return null;
        }

        TrainerJob? job;
        try
        {
            job = JsonSerializer.Deserialize<TrainerJob>(message.Body.ToString(), PipelineJson.Options);
        }
        catch (JsonException)
        {
            job = null;
        }

        var received = new Message(this, job ?? new TrainerJob("", JobKind.Train, 0, new TrainerJobPaths("", "")), message);
        if (job is null)
        {
            await received.DeadLetterAsync("not a trainer job message", cancellationToken);
            return null;
        }

        return received;
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created = true;
        }
    }

    private sealed class Message(StorageQueueJobTransport owner, TrainerJob job, QueueMessage message) : ReceivedJob(job, (int)message.DequeueCount)
    {
        private string _popReceipt = message.PopReceipt;

        public override async Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken) =>
            _popReceipt = (await owner._queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: lockDuration, cancellationToken: cancellationToken)).Value.PopReceipt;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            owner._queue.DeleteMessageAsync(message.MessageId, _popReceipt, cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) => RetryLaterAsync(TimeSpan.Zero, cancellationToken);

        public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            owner._queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);

        public override async Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            var letter = new { reason, message = message.Body.ToString(), dequeueCount = message.DequeueCount };
            await owner._poison.SendMessageAsync(JsonSerializer.Serialize(letter, PipelineJson.Line), cancellationToken);
            await CompleteAsync(cancellationToken);
        }
    }
}
